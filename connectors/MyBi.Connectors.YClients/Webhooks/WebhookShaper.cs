using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Streams;
using MyBi.Abstractions.Webhooks;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Reading;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Webhooks;

/// <summary>
/// Turns the object of an event into rows with the very code a pull runs on the same object from the API, so a
/// later pull writes identical rows.
/// </summary>
internal static class WebhookShaper
{
    public static WebhookRows Rows(WebhookEvent webhookEvent, JsonObject body, ReadContext context, CompanyInfo company)
    {
        if (body["data"] is not JsonObject original)
        {
            return WebhookRows.Skip("the event has no object to apply");
        }

        var data = (JsonObject)original.DeepClone();
        var id = long.Parse(webhookEvent.ResourceId, CultureInfo.InvariantCulture);
        if (data["id"] is null && webhookEvent.Resource != "good")
        {
            data["id"] = id;
        }
        else if (webhookEvent.Resource != "good" && Lenient.Id(data["id"]) != id)
        {
            return WebhookRows.Skip("data.id differs from resource_id");
        }

        var deleted = webhookEvent.Status == "delete";
        switch (webhookEvent.Resource)
        {
            case "record":
                if (deleted)
                {
                    data["deleted"] = true;
                }

                return WebhookRows.Of([.. RecordsGroup.Rows(context, company, id, data, [])]);
            case "finances_operation":
                return One(context, StreamNames.FinanceTransactions, RowShaper.Shape(TransactionsGroup.Finance.Shape(data, deleted), context.Catalog[StreamNames.FinanceTransactions], company));
            case var goods when goods.StartsWith("goods_operations_", StringComparison.Ordinal):
                if (deleted)
                {
                    data["deleted"] = true;
                }

                return One(context, StreamNames.GoodsTransactions, RowShaper.Shape(TransactionsGroup.Goods.Shape(data, deleted), context.Catalog[StreamNames.GoodsTransactions], company));
            default:
                if (deleted)
                {
                    // These tables have no deleted flag, and the pull keeps what it last saw too.
                    return WebhookRows.Skip($"deletes of {webhookEvent.Resource} are not applied");
                }

                var stream = WebhookEnvelope.StreamsOf(webhookEvent.Resource)[0];
                return One(context, stream, RowShaper.Shape(data, context.Catalog[stream], company));
        }
    }

    private static WebhookRows One(ReadContext context, string stream, JsonObject row) =>
        WebhookRows.Of(context.IsSelected(stream) ? [new SourceRecord(stream, row)] : []);
}
