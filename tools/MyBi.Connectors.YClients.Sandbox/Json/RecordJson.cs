using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox.Data;

namespace MyBi.Connectors.YClients.Sandbox.Json;

/// <summary>The record object of <c>/records</c>, <c>/record</c> and <c>/visits</c>.</summary>
internal static class RecordJson
{
    /// <param name="rawId">When given, the JSON literal written as the id instead of the record's own (empty: no id at all).</param>
    public static void Write(Utf8JsonWriter w, SandboxRecord record, CompanyDataSet set, bool includeConsumables, bool includeFinance, string? rawId = null)
    {
        w.WriteStartObject();
        if (rawId is null)
        {
            w.WriteNumber("id", record.Id);
        }
        else if (rawId.Length > 0)
        {
            w.WritePropertyName("id");
            w.WriteRawValue(rawId);
        }

        w.WriteNumber("company_id", record.CompanyId);
        w.WriteNumber("staff_id", record.StaffId);
        WriteServices(w, record);
        WriteGoods(w, record);
        StaffJson.WriteShort(w, "staff", set.StaffById[record.StaffId]);
        if (record.ClientId is { } clientId && set.ClientsById.TryGetValue(clientId, out var client))
        {
            ClientJson.WriteInRecord(w, client);
        }
        else
        {
            w.WriteNull("client");
        }

        w.WriteNull("comer");
        w.WriteNumber("clients_count", 1);
        w.WriteString("date", JsonFormat.Naive(record.Date));
        w.WriteString("datetime", JsonFormat.OffsetColon(record.Datetime));
        w.WriteString("create_date", JsonFormat.OffsetNoColon(record.CreateDate));
        w.WriteString("comment", record.Comment);
        w.WriteBoolean("online", record.Online);
        w.WriteNumber("visit_attendance", record.Attendance);
        w.WriteNumber("attendance", record.Attendance);
        JsonFormat.WriteBit(w, "confirmed", record.Confirmed);
        w.WriteNumber("seance_length", record.LengthSeconds);
        w.WriteNumber("length", record.LengthSeconds);
        w.WriteNumber("sms_before", 0);
        w.WriteNumber("sms_now", 0);
        w.WriteString("sms_now_text", "");
        w.WriteNumber("email_now", 0);
        w.WriteNumber("notified", 0);
        JsonFormat.WriteBit(w, "master_request", record.Online);
        w.WriteString("api_id", "");
        w.WriteString("from_url", "");
        w.WriteNumber("review_requested", 0);
        w.WriteNumber("visit_id", record.VisitId);
        w.WriteNumber("created_user_id", record.CreatedUserId);
        w.WriteBoolean("deleted", record.Deleted);
        JsonFormat.WriteBit(w, "paid_full", record.PaidFull);
        JsonFormat.WriteBit(w, "payment_status", record.PaidFull);
        w.WriteBoolean("prepaid", false);
        w.WriteBoolean("prepaid_confirmed", false);
        w.WriteBoolean("is_update_blocked", false);
        w.WriteString("last_change_date", JsonFormat.OffsetNoColon(record.LastChangeDate));
        w.WriteString("custom_color", "");
        w.WriteString("custom_font_color", "");
        WriteLabels(w, record, set);
        w.WriteNumber("activity_id", 0);
        JsonFormat.WriteEmptyObject(w, "custom_fields");
        WriteDocuments(w, record, set);
        w.WriteNumber("sms_remain_hours", 0);
        w.WriteNumber("email_remain_hours", 0);
        w.WriteNumber("bookform_id", record.Online ? record.CompanyId : 0);
        w.WriteString("record_from", record.RecordFrom);
        w.WriteNumber("is_mobile", 0);
        w.WriteBoolean("is_sale_bill_printed", false);
        JsonFormat.WriteEmptyArray(w, "resource_instance_ids");
        w.WriteString("short_link", "");
        if (includeConsumables)
        {
            w.WriteStartArray("consumables");
            foreach (var consumable in set.GoodsByRecord[record.Id].Where(t => t.TypeId == SandboxGoodsTransaction.ConsumableType))
            {
                GoodsTransactionJson.WriteFlat(w, consumable);
            }

            w.WriteEndArray();
        }

        if (includeFinance)
        {
            w.WriteStartArray("finance_transactions");
            foreach (var transaction in set.FinanceByRecord[record.Id].Where(t => !t.Deleted))
            {
                FinanceJson.WriteDetailed(w, transaction, set, fullAccount: false);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteServices(Utf8JsonWriter w, SandboxRecord record)
    {
        w.WriteStartArray("services");
        foreach (var line in record.Services)
        {
            w.WriteStartObject();
            w.WriteNumber("id", line.ServiceId);
            w.WriteString("title", line.Title);
            w.WriteNumber("cost", line.Cost);
            w.WriteNumber("cost_to_pay", line.CostToPay);
            w.WriteNumber("manual_cost", line.ManualCost);
            w.WriteNumber("cost_per_unit", line.CostPerUnit);
            w.WriteNumber("discount", line.DiscountPercent);
            w.WriteNumber("first_cost", line.FirstCost);
            w.WriteNumber("amount", line.Amount);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteGoods(Utf8JsonWriter w, SandboxRecord record)
    {
        w.WriteStartArray("goods_transactions");
        foreach (var line in record.Goods)
        {
            w.WriteStartObject();
            w.WriteNumber("id", line.GoodsTransactionId);
            w.WriteNumber("good_id", line.GoodId);
            w.WriteNumber("storage_id", line.StorageId);
            w.WriteNumber("amount", line.Amount);
            w.WriteNumber("type", SandboxGoodsTransaction.SaleType);
            w.WriteNumber("master_id", line.MasterId);
            w.WriteNumber("discount", line.DiscountPercent);
            w.WriteNumber("price", line.Price);
            w.WriteNumber("cost", line.Cost);
            w.WriteNumber("operation_unit_type", 1);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteLabels(Utf8JsonWriter w, SandboxRecord record, CompanyDataSet set)
    {
        w.WriteStartArray("record_labels");
        foreach (var id in record.LabelIds)
        {
            var label = set.LabelsById[id];
            w.WriteStartObject();
            w.WriteNumber("id", label.Id);
            w.WriteString("title", label.Title);
            w.WriteString("color", label.Color);
            w.WriteString("icon", label.Icon);
            w.WriteString("font_color", label.FontColor);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteDocuments(Utf8JsonWriter w, SandboxRecord record, CompanyDataSet set)
    {
        w.WriteStartArray("documents");
        foreach (var id in record.DocumentIds)
        {
            var document = set.DocumentsById[id];
            w.WriteStartObject();
            w.WriteNumber("id", document.Id);
            w.WriteNumber("type_id", document.TypeId);
            w.WriteNumber("storage_id", document.StorageId);
            w.WriteNumber("user_id", document.UserId);
            w.WriteNumber("company_id", document.CompanyId);
            w.WriteNumber("number", document.Number);
            w.WriteString("comment", document.Comment);
            w.WriteString("date_created", JsonFormat.Naive(document.CreateDate));
            w.WriteNumber("category_id", 0);
            w.WriteNumber("visit_id", document.VisitId);
            w.WriteNumber("record_id", document.RecordId);
            w.WriteString("type_title", SandboxDocument.TypeTitle(document.TypeId));
            w.WriteBoolean("is_sale_bill_printed", false);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
