using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox.Data;

namespace MyBi.Connectors.YClients.Sandbox.Json;

/// <summary>Service and service-category objects of the current (non-deprecated) endpoints.</summary>
internal static class ServiceJson
{
    public static void WriteService(Utf8JsonWriter w, SandboxService service, CompanyDataSet set)
    {
        w.WriteStartObject();
        w.WriteNumber("id", service.Id);
        w.WriteNumber("salon_service_id", service.Id);
        w.WriteString("title", service.Title);
        w.WriteString("booking_title", service.BookingTitle);
        w.WriteString("print_title", service.PrintTitle);
        w.WriteNumber("category_id", service.CategoryId);
        w.WriteNumber("price_min", service.PriceMin);
        w.WriteNumber("price_max", service.PriceMax);
        w.WriteNumber("discount", 0);
        w.WriteString("comment", "");
        w.WriteNumber("weight", service.Weight);
        w.WriteNumber("active", 1);
        w.WriteString("api_id", service.ApiId);
        w.WriteString("prepaid", "forbidden");
        w.WriteBoolean("is_multi", false);
        w.WriteNumber("capacity", 0);
        w.WriteNumber("duration", service.DurationSeconds);
        w.WriteBoolean("is_online", true);
        w.WriteNumber("service_type", 1);
        w.WriteNumber("seance_search_start", 0);
        w.WriteNumber("seance_search_finish", 86400);
        w.WriteNumber("seance_search_step", 900);
        w.WriteNumber("step", 0);
        w.WriteString("date_from", "0000-00-00");
        w.WriteString("date_to", "0000-00-00");
        w.WriteBoolean("is_chain", false);
        w.WriteNumber("price_prepaid_amount", 0);
        w.WriteNumber("price_prepaid_percent", 100);
        w.WriteNull("tax_variant");
        w.WriteNull("vat_id");
        w.WriteStartArray("staff");
        foreach (var staffId in service.StaffIds)
        {
            var staff = set.StaffById[staffId];
            w.WriteStartObject();
            w.WriteNumber("id", staff.Id);
            w.WriteNumber("seance_length", service.DurationSeconds);
            w.WriteNumber("technological_card_id", service.TechnologicalCardId);
            w.WriteString("image_url", "");
            w.WriteNull("price");
            w.WriteString("name", staff.Name);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        JsonFormat.WriteEmptyObject(w, "image_group");
        JsonFormat.WriteEmptyArray(w, "dates");
        JsonFormat.WriteEmptyArray(w, "resources");
        w.WriteEndObject();
    }

    public static void WriteCategory(Utf8JsonWriter w, SandboxServiceCategory category)
    {
        w.WriteStartObject();
        w.WriteNumber("id", category.Id);
        w.WriteNumber("category_id", 0);
        w.WriteNumber("salon_service_id", category.Id);
        w.WriteString("title", category.Title);
        w.WriteString("booking_title", category.Title);
        w.WriteNumber("weight", category.Weight);
        w.WriteString("api_id", category.ApiId);
        w.WriteNumber("price_min", category.PriceMin);
        w.WriteNumber("price_max", category.PriceMax);
        w.WriteNumber("sex", 0);
        w.WriteBoolean("is_chain", false);
        JsonFormat.WriteIds(w, "staff", category.StaffIds);
        w.WriteEndObject();
    }
}
