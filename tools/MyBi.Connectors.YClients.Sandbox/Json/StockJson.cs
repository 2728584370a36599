using System.Globalization;
using System.Text.Json;

namespace MyBi.Connectors.YClients.Sandbox.Json;

/// <summary>Goods, storages, tills and labels.</summary>
internal static class StockJson
{
    public static void WriteGood(Utf8JsonWriter w, SandboxGood good)
    {
        w.WriteStartObject();
        w.WriteString("title", good.Title);
        w.WriteString("value", good.Title);
        w.WriteString("label", $"{good.Title} ({good.Article})");
        w.WriteNumber("good_id", good.Id);
        w.WriteNumber("cost", good.Cost);
        w.WriteNumber("unit_id", good.UnitId);
        w.WriteString("unit_short_title", good.UnitShortTitle);
        w.WriteNumber("service_unit_id", good.ServiceUnitId);
        w.WriteString("service_unit_short_title", good.ServiceUnitShortTitle);
        w.WriteNumber("actual_cost", good.ActualCost);
        w.WriteNumber("unit_actual_cost", good.UnitActualCost);
        w.WriteString("unit_actual_cost_format", good.UnitActualCost.ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',') + " ₽");
        w.WriteNumber("unit_equals", good.UnitEquals);
        w.WriteString("barcode", good.Barcode);
        w.WriteStartArray("actual_amounts");
        w.WriteStartObject();
        w.WriteNumber("storage_id", good.StorageId);
        w.WriteNumber("amount", good.StockAmount);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteNumber("is_barcode", 0);
        w.WriteString("last_change_date", JsonFormat.OffsetNoColon(good.LastChangeDate));
        w.WriteEndObject();
    }

    public static void WriteStorage(Utf8JsonWriter w, SandboxStorage storage)
    {
        w.WriteStartObject();
        w.WriteNumber("id", storage.Id);
        w.WriteString("title", storage.Title);
        JsonFormat.WriteBit(w, "for_service", storage.ForService);
        JsonFormat.WriteBit(w, "for_sale", storage.ForSale);
        w.WriteString("comment", storage.Comment);
        w.WriteEndObject();
    }

    public static void WriteAccount(Utf8JsonWriter w, SandboxAccount account)
    {
        w.WriteStartObject();
        w.WriteNumber("id", account.Id);
        w.WriteString("title", account.Title);
        w.WriteNumber("type", account.Type);
        w.WriteString("comment", account.Comment);
        w.WriteEndObject();
    }

    public static void WriteLabel(Utf8JsonWriter w, SandboxLabel label)
    {
        w.WriteStartObject();
        w.WriteNumber("id", label.Id);
        w.WriteNumber("salon_id", label.CompanyId);
        w.WriteString("title", label.Title);
        w.WriteString("color", "#" + label.Color);
        w.WriteString("icon", label.Icon);
        w.WriteNumber("entity", label.Entity);
        w.WriteNumber("deleted", 0);
        w.WriteNumber("not_editable", 0);
        w.WriteEndObject();
    }
}
