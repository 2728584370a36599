using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox.Data;

namespace MyBi.Connectors.YClients.Sandbox.Json;

/// <summary>Finance transactions in their two shapes: the <c>/transactions</c> list item (ids and amount as
/// strings, date with a colon-less offset) and the detailed form of records and documents (naive date, numbers).</summary>
internal static class FinanceJson
{
    public static void WriteListItem(Utf8JsonWriter w, SandboxFinanceTransaction t, CompanyDataSet set)
    {
        w.WriteStartObject();
        w.WriteString("id", JsonFormat.IdString(t.Id));
        w.WriteNumber("document_id", t.DocumentId);
        w.WriteStartObject("expense");
        w.WriteString("id", JsonFormat.IdString(t.ExpenseId));
        w.WriteString("title", t.ExpenseTitle);
        w.WriteEndObject();
        w.WriteString("date", JsonFormat.OffsetNoColon(t.Date));
        w.WriteString("amount", JsonFormat.MoneyString(t.Amount));
        w.WriteString("comment", t.Comment);
        JsonFormat.WriteRef(w, "master", t.MasterId, MasterName(t, set), idAsString: true);
        JsonFormat.WriteRef(w, "supplier", t.SupplierId, t.SupplierTitle, idAsString: true);
        var account = set.AccountsById[t.AccountId];
        JsonFormat.WriteRef(w, "account", account.Id, account.Title, idAsString: true);
        WriteClient(w, t, set, idAsString: true, phoneWithPlus: true);
        w.WriteNumber("record_id", t.RecordId);
        w.WriteNumber("visit_id", t.VisitId);
        w.WriteNumber("sold_item_id", t.SoldItemId);
        w.WriteString("sold_item_type", t.SoldItemType);
        w.WriteString("last_change_date", JsonFormat.OffsetNoColon(t.LastChangeDate));
        w.WriteEndObject();
    }

    public static void WriteDetailed(Utf8JsonWriter w, SandboxFinanceTransaction t, CompanyDataSet set, bool fullAccount)
    {
        w.WriteStartObject();
        w.WriteNumber("id", t.Id);
        w.WriteNumber("document_id", t.DocumentId);
        w.WriteString("date", JsonFormat.Naive(t.Date));
        w.WriteNumber("type_id", t.ExpenseId);
        w.WriteNumber("expense_id", t.ExpenseId);
        w.WriteNumber("account_id", t.AccountId);
        w.WriteNumber("amount", t.Amount);
        w.WriteNumber("client_id", t.ClientId ?? 0);
        w.WriteNumber("master_id", t.MasterId ?? 0);
        w.WriteNumber("supplier_id", t.SupplierId ?? 0);
        w.WriteString("comment", t.Comment);
        w.WriteNumber("item_id", t.SoldItemId);
        w.WriteNumber("target_type_id", t.SoldItemType switch { "service" => 1, "goods_transaction" => 2, _ => 0 });
        w.WriteNumber("record_id", t.RecordId);
        w.WriteNumber("goods_transaction_id", t.SoldItemType == "goods_transaction" ? t.SoldItemId : 0);
        w.WriteStartObject("expense");
        w.WriteNumber("id", t.ExpenseId);
        w.WriteString("title", t.ExpenseTitle);
        w.WriteEndObject();
        var account = set.AccountsById[t.AccountId];
        w.WriteStartObject("account");
        w.WriteNumber("id", account.Id);
        w.WriteString("title", account.Title);
        if (fullAccount)
        {
            w.WriteNumber("type_id", account.Type);
            w.WriteNumber("type", account.Type);
            w.WriteString("comment", account.Comment);
            w.WriteNumber("company_id", account.CompanyId);
        }

        w.WriteEndObject();
        WriteClient(w, t, set, idAsString: false, phoneWithPlus: false);
        JsonFormat.WriteRef(w, "master", t.MasterId, MasterName(t, set));
        JsonFormat.WriteRef(w, "supplier", t.SupplierId, t.SupplierTitle);
        w.WriteEndObject();
    }

    private static string? MasterName(SandboxFinanceTransaction t, CompanyDataSet set) =>
        t.MasterId is { } id && set.StaffById.TryGetValue(id, out var staff) ? staff.Name : null;

    private static void WriteClient(Utf8JsonWriter w, SandboxFinanceTransaction t, CompanyDataSet set, bool idAsString, bool phoneWithPlus)
    {
        if (t.ClientId is not { } id || !set.ClientsById.TryGetValue(id, out var client))
        {
            JsonFormat.WriteEmptyObject(w, "client");
            return;
        }

        w.WriteStartObject("client");
        if (idAsString)
        {
            w.WriteString("id", JsonFormat.IdString(client.Id));
        }
        else
        {
            w.WriteNumber("id", client.Id);
        }

        w.WriteString("name", client.DisplayName);
        w.WriteString("phone", phoneWithPlus ? client.Phone : client.Phone.TrimStart('+'));
        w.WriteEndObject();
    }
}
