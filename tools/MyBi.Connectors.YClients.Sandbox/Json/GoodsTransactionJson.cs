using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox.Data;

namespace MyBi.Connectors.YClients.Sandbox.Json;

/// <summary>Goods transactions: the <c>/storages/transactions</c> list item with nested objects, and the
/// flat form of documents and record consumables.</summary>
internal static class GoodsTransactionJson
{
    public static void WriteListItem(Utf8JsonWriter w, SandboxGoodsTransaction t, CompanyDataSet set)
    {
        var good = set.GoodsById[t.GoodId];
        var storage = set.StoragesById[t.StorageId];
        var unit = Data.Generation.GoodsCatalog.Unit(t.UnitId);
        w.WriteStartObject();
        w.WriteNumber("id", t.Id);
        w.WriteNumber("document_id", t.DocumentId);
        w.WriteNumber("type_id", t.TypeId);
        w.WriteString("type", SandboxDocument.TypeTitle(t.TypeId == SandboxGoodsTransaction.ConsumableType ? SandboxDocument.ConsumablesType : t.TypeId));
        JsonFormat.WriteRef(w, "good", good.Id, good.Title);
        JsonFormat.WriteRef(w, "storage", storage.Id, storage.Title);
        w.WriteStartObject("unit");
        w.WriteNumber("id", t.UnitId);
        w.WriteString("title", unit.Title);
        w.WriteString("short_title", unit.ShortTitle);
        w.WriteEndObject();
        w.WriteNumber("operation_unit_type", t.OperationUnitType);
        w.WriteNumber("amount", t.Amount);
        w.WriteString("create_date", JsonFormat.OffsetNoColon(t.CreateDate));
        w.WriteString("last_change_date", JsonFormat.OffsetNoColon(t.LastChangeDate));
        w.WriteNumber("cost_per_unit", t.CostPerUnit);
        w.WriteNumber("cost", t.Cost);
        w.WriteNumber("discount", t.DiscountPercent);
        w.WriteString("comment", t.Comment);
        w.WriteBoolean("deleted", t.Deleted);
        JsonFormat.WriteRef(w, "master", t.MasterId, t.MasterId is { } m && set.StaffById.TryGetValue(m, out var staff) ? staff.Name : null);
        JsonFormat.WriteRef(w, "supplier", t.SupplierId, t.SupplierTitle);
        w.WriteNumber("record_id", t.RecordId);
        JsonFormat.WriteRef(w, "service", t.ServiceId, set.ServicesById.TryGetValue(t.ServiceId, out var service) ? service.Title : null);
        if (t.ClientId is { } clientId && set.ClientsById.TryGetValue(clientId, out var client))
        {
            w.WriteStartObject("client");
            w.WriteNumber("id", client.Id);
            w.WriteString("name", client.DisplayName);
            w.WriteString("phone", client.Phone.TrimStart('+'));
            w.WriteEndObject();
        }
        else
        {
            JsonFormat.WriteEmptyObject(w, "client");
        }

        w.WriteEndObject();
    }

    public static void WriteFlat(Utf8JsonWriter w, SandboxGoodsTransaction t)
    {
        w.WriteStartObject();
        w.WriteNumber("id", t.Id);
        w.WriteNumber("document_id", t.DocumentId);
        w.WriteNumber("type_id", t.TypeId);
        w.WriteNumber("company_id", t.CompanyId);
        w.WriteNumber("good_id", t.GoodId);
        w.WriteNumber("amount", t.Amount);
        w.WriteNumber("cost_per_unit", t.CostPerUnit);
        w.WriteNumber("discount", t.DiscountPercent);
        w.WriteNumber("cost", t.Cost);
        w.WriteNumber("unit_id", t.UnitId);
        w.WriteNumber("operation_unit_type", t.OperationUnitType);
        w.WriteNumber("storage_id", t.StorageId);
        w.WriteNumber("supplier_id", t.SupplierId ?? 0);
        w.WriteNumber("record_id", t.RecordId);
        w.WriteNumber("client_id", t.ClientId ?? 0);
        w.WriteNumber("master_id", t.MasterId ?? 0);
        w.WriteString("create_date", JsonFormat.Naive(t.CreateDate));
        w.WriteString("comment", t.Comment);
        w.WriteNumber("service_id", t.ServiceId);
        w.WriteNumber("user_id", t.UserId);
        w.WriteBoolean("deleted", t.Deleted);
        w.WriteNumber("pkg_amount", 0);
        w.WriteEndObject();
    }
}
