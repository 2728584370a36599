using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox.Data;

namespace MyBi.Connectors.YClients.Sandbox.Json;

/// <summary>Staff objects: the full one of <c>/company/{id}/staff</c> and the short one inside records.</summary>
internal static class StaffJson
{
    public static void Write(Utf8JsonWriter w, SandboxStaff staff, CompanyDataSet set)
    {
        w.WriteStartObject();
        w.WriteNumber("id", staff.Id);
        w.WriteNull("api_id");
        w.WriteString("name", staff.Name);
        w.WriteString("specialization", staff.Specialization);
        w.WriteNumber("company_id", staff.CompanyId);
        w.WriteString("information", "");
        w.WriteNumber("fired", 0);
        w.WriteBoolean("is_fired", false);
        w.WriteNull("dismissal_date");
        w.WriteNull("dismissal_reason");
        w.WriteNumber("hidden", 0);
        w.WriteBoolean("is_online", true);
        w.WriteNumber("status", 0);
        w.WriteBoolean("is_deleted", false);
        w.WriteNumber("user_id", staff.UserId);
        w.WriteNumber("rating", staff.Rating);
        w.WriteString("prepaid", "forbidden");
        w.WriteBoolean("is_chain", false);
        w.WriteNumber("weight", staff.Weight);
        w.WriteBoolean("is_rating_shown", true);
        w.WriteString("avatar", "https://yclients.com/images/no-master-sm.png");
        w.WriteString("avatar_big", "https://yclients.com/images/no-master.png");
        w.WriteStartObject("position");
        w.WriteNumber("id", staff.PositionId);
        w.WriteNumber("chain_id", set.Company.ChainId);
        w.WriteString("title", staff.PositionTitle);
        w.WriteString("description", "");
        w.WriteNumber("services_binding_type", 0);
        JsonFormat.WriteEmptyArray(w, "rules_required_fields");
        w.WriteBoolean("only_chain_appointment", false);
        w.WriteEndObject();
        w.WriteBoolean("is_bookable", true);
        w.WriteStartArray("services_links");
        foreach (var serviceId in staff.ServiceIds)
        {
            var service = set.ServicesById[serviceId];
            w.WriteStartObject();
            w.WriteNumber("service_id", serviceId);
            w.WriteNumber("master_id", staff.Id);
            w.WriteNumber("length", service.DurationSeconds);
            w.WriteNumber("technological_card_id", service.TechnologicalCardId);
            w.WriteString("api_id", "");
            w.WriteBoolean("is_online", true);
            w.WriteBoolean("is_offline_records_allowed", true);
            w.WriteNull("price");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNull("schedule_till");
        w.WriteEndObject();
    }

    public static void WriteShort(Utf8JsonWriter w, string name, SandboxStaff staff)
    {
        w.WriteStartObject(name);
        w.WriteNumber("id", staff.Id);
        w.WriteNull("api_id");
        w.WriteString("name", staff.Name);
        w.WriteString("specialization", staff.Specialization);
        w.WriteStartObject("position");
        w.WriteNumber("id", staff.PositionId);
        w.WriteString("title", staff.PositionTitle);
        w.WriteEndObject();
        w.WriteString("avatar", "https://yclients.com/images/no-master-sm.png");
        w.WriteString("avatar_big", "https://yclients.com/images/no-master.png");
        w.WriteNumber("rating", staff.Rating);
        w.WriteNumber("votes_count", staff.VotesCount);
        w.WriteEndObject();
    }
}
