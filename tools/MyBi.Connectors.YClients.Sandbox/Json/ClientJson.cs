using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox.Data;

namespace MyBi.Connectors.YClients.Sandbox.Json;

/// <summary>Client objects: legacy list item, single client, the short form inside records, and search rows.</summary>
internal static class ClientJson
{
    /// <summary>Fields <c>POST /clients/search</c> may return.</summary>
    public static readonly IReadOnlySet<string> SearchFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "name", "phone", "email", "discount", "first_visit_date", "last_visit_date", "sold_amount", "visits_count", "passteam_card_id",
    };

    public static void WriteLegacy(Utf8JsonWriter w, SandboxClient client, CompanyDataSet set) => WriteFull(w, client, set, single: false);

    public static void WriteSingle(Utf8JsonWriter w, SandboxClient client, CompanyDataSet set) => WriteFull(w, client, set, single: true);

    public static void WriteInRecord(Utf8JsonWriter w, SandboxClient client)
    {
        w.WriteStartObject("client");
        w.WriteNumber("id", client.Id);
        w.WriteString("name", client.FirstName);
        w.WriteString("surname", client.Surname);
        w.WriteString("patronymic", client.Patronymic);
        w.WriteString("display_name", client.DisplayName);
        w.WriteString("phone", client.Phone);
        w.WriteString("card", client.Card);
        w.WriteString("email", client.Email);
        w.WriteNumber("success_visits_count", client.SuccessVisits);
        w.WriteNumber("fail_visits_count", client.FailVisits);
        w.WriteNumber("discount", client.Discount);
        JsonFormat.WriteEmptyObject(w, "custom_fields");
        JsonFormat.WriteEmptyArray(w, "client_tags");
        w.WriteBoolean("is_new", client.SuccessVisits == 0);
        w.WriteEndObject();
    }

    public static void WriteSearchRow(Utf8JsonWriter w, SandboxClient client, IReadOnlyList<string> fields)
    {
        w.WriteStartObject();
        foreach (var field in fields)
        {
            switch (field)
            {
                case "id": w.WriteNumber(field, client.Id); break;
                case "name": w.WriteString(field, client.DisplayName); break;
                case "phone": w.WriteString(field, client.Phone); break;
                case "email": w.WriteString(field, client.Email); break;
                case "discount": w.WriteNumber(field, client.Discount); break;
                case "first_visit_date": WriteOptionalNaive(w, field, client.FirstVisit); break;
                case "last_visit_date": WriteOptionalNaive(w, field, client.LastVisit); break;
                case "sold_amount": w.WriteNumber(field, client.Spent); break;
                case "visits_count": w.WriteNumber(field, client.SuccessVisits); break;
                default: w.WriteNull(field); break;
            }
        }

        w.WriteEndObject();
    }

    private static void WriteOptionalNaive(Utf8JsonWriter w, string name, DateTime? value)
    {
        if (value is { } time)
        {
            w.WriteString(name, JsonFormat.Naive(time));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteFull(Utf8JsonWriter w, SandboxClient client, CompanyDataSet set, bool single)
    {
        w.WriteStartObject();
        w.WriteNumber("id", client.Id);
        w.WriteString("name", single ? client.FirstName : client.DisplayName);
        if (single)
        {
            w.WriteString("surname", client.Surname);
            w.WriteString("patronymic", client.Patronymic);
            w.WriteString("display_name", client.DisplayName);
        }

        w.WriteString("phone", client.Phone);
        w.WriteString("email", client.Email);
        w.WriteStartArray("categories");
        foreach (var id in client.CategoryIds)
        {
            var label = set.LabelsById[id];
            w.WriteStartObject();
            w.WriteNumber("id", label.Id);
            w.WriteString("title", label.Title);
            w.WriteString("color", "#" + label.Color);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("sex_id", client.SexId);
        w.WriteString("sex", client.SexId switch { 1 => "Мужской", 2 => "Женский", _ => "Неизвестно" });
        w.WriteNumber("discount", client.Discount);
        w.WriteNumber("importance_id", client.ImportanceId);
        w.WriteString("importance", client.ImportanceId switch { 1 => "Бронза", 2 => "Серебро", 3 => "Золото", _ => "Без класса важности" });
        w.WriteString("card", client.Card);
        w.WriteString("birth_date", client.BirthDate is { } birth ? JsonFormat.Day(birth) : "");
        w.WriteString("comment", client.Comment);
        JsonFormat.WriteBit(w, "sms_check", client.SmsCheck);
        if (single)
        {
            w.WriteNumber("sms_bot", 0);
        }

        JsonFormat.WriteBit(w, "sms_not", client.SmsNot);
        w.WriteNumber("spent", client.Spent);
        w.WriteNumber("paid", client.Spent);
        w.WriteNumber("balance", 0);
        w.WriteNumber("visits", client.SuccessVisits);
        w.WriteString("last_change_date", JsonFormat.OffsetNoColon(client.LastChangeDate));
        JsonFormat.WriteEmptyObject(w, "custom_fields");
        w.WriteEndObject();
    }
}
