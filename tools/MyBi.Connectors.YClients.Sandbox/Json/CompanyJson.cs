using System.Text.Json;

namespace MyBi.Connectors.YClients.Sandbox.Json;

/// <summary>Company objects: the full one of <c>/companies</c> and the short one embedded in documents.</summary>
internal static class CompanyJson
{
    public static void Write(Utf8JsonWriter w, SandboxCompany company, int activeStaffCount)
    {
        w.WriteStartObject();
        w.WriteNumber("id", company.Id);
        w.WriteString("title", company.Title);
        w.WriteString("short_descr", company.ShortDescription);
        w.WriteString("logo", Logo(company));
        w.WriteNumber("active", 1);
        w.WriteString("phone", company.Phone);
        w.WriteNumber("country_id", 1);
        w.WriteString("country", "Россия");
        w.WriteNumber("city_id", company.CityId);
        w.WriteString("city", company.City);
        w.WriteString("timezone", company.TimeZoneName);
        w.WriteString("timezone_name", company.TimeZoneName);
        w.WriteString("address", company.Address);
        w.WriteString("zip", company.Zip);
        w.WriteString("coordinate_lat", company.CoordinateLat);
        w.WriteString("coordinate_lon", company.CoordinateLon);
        w.WriteBoolean("phone_confirmation", true);
        w.WriteNumber("active_staff_count", activeStaffCount);
        w.WriteNumber("group_priority", 900);
        w.WriteString("currency_short_title", "₽");
        if (company.ChainId != 0)
        {
            w.WriteNumber("main_group_id", company.ChainId);
            w.WriteStartObject("main_group");
            w.WriteNumber("id", company.ChainId);
            w.WriteString("title", company.ChainTitle);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNumber("main_group_id", 0);
            JsonFormat.WriteEmptyObject(w, "main_group");
        }

        w.WriteEndObject();
    }

    /// <summary>The company inside a document, where <c>timezone</c> is an hour offset number.</summary>
    public static void WriteEmbedded(Utf8JsonWriter w, SandboxCompany company)
    {
        w.WriteStartObject("company");
        w.WriteNumber("id", company.Id);
        w.WriteString("title", company.Title);
        w.WriteNumber("country_id", 1);
        w.WriteNumber("city_id", company.CityId);
        w.WriteNumber("timezone", (int)company.UtcOffset.TotalHours);
        w.WriteString("address", company.Address);
        w.WriteString("coordinate_lat", company.CoordinateLat);
        w.WriteString("coordinate_lon", company.CoordinateLon);
        w.WriteString("logo", Logo(company));
        w.WriteString("zip", company.Zip);
        JsonFormat.WriteEmptyArray(w, "phones");
        w.WriteString("site", "");
        w.WriteEndObject();
    }

    private static string Logo(SandboxCompany company) =>
        $"https://assets.yclients.com/main_service_image/basic/{company.Id % 10}/{company.Id % 100}/{company.Id}_logo.png";
}
