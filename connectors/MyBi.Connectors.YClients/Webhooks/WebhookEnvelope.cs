using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Webhooks;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Webhooks;

/// <summary>
/// Reads what YCLIENTS sends: <c>{company_id, resource, resource_id, status, data}</c>, one object per hook. Numbers
/// may come as strings and empty objects as <c>[]</c>, as everywhere in the API.
/// </summary>
internal static class WebhookEnvelope
{
    private const int MaxResourceLength = 64;

    /// <summary>The streams each kind of event feeds. A visit row sums up every record of the visit, which one
    /// record's event does not carry: <see cref="WebhookVisits"/> reads the visit's records again.</summary>
    private static readonly Dictionary<string, string[]> s_streams = new(StringComparer.Ordinal)
    {
        ["record"] = [StreamNames.Records, StreamNames.RecordServices, StreamNames.RecordGoods, StreamNames.Visits],
        ["client"] = [StreamNames.Clients],
        ["finances_operation"] = [StreamNames.FinanceTransactions],
        ["goods_operations_sale"] = [StreamNames.GoodsTransactions],
        ["goods_operations_receipt"] = [StreamNames.GoodsTransactions],
        ["goods_operations_consumable"] = [StreamNames.GoodsTransactions],
        ["goods_operations_stolen"] = [StreamNames.GoodsTransactions],
        ["goods_operations_move"] = [StreamNames.GoodsTransactions],
        ["service"] = [StreamNames.Services],
        ["service_category"] = [StreamNames.ServiceCategories],
        ["staff"] = [StreamNames.Staff],
        ["master"] = [StreamNames.Staff],
        ["good"] = [StreamNames.Goods],
    };

    /// <summary>The settings flag of <c>/hooks_settings</c> that turns each kind of event on.</summary>
    public static IReadOnlyDictionary<string, string> SettingsFlags { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["record"] = "record",
        ["client"] = "client",
        ["finances_operation"] = "finances_operation",
        ["goods_operations_sale"] = "goods_operations_sale",
        ["goods_operations_receipt"] = "goods_operations_receipt",
        ["goods_operations_consumable"] = "goods_operations_consumable",
        ["goods_operations_stolen"] = "goods_operations_stolen",
        ["goods_operations_move"] = "goods_operations_move",
        ["service"] = "service",
        ["service_category"] = "service_category",
        ["staff"] = "master",
        ["good"] = "good",
    };

    public static IReadOnlyList<string> StreamsOf(string resource) => s_streams.GetValueOrDefault(resource) ?? [];

    public static WebhookEvent Read(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var resource = Lenient.Text(body["resource"]);
        if (string.IsNullOrWhiteSpace(resource))
        {
            throw new WebhookFormatException("The body has no 'resource'.");
        }

        if (resource.Length > MaxResourceLength || !resource.All(c => c is (>= 'a' and <= 'z') or '_' or (>= '0' and <= '9')))
        {
            throw new WebhookFormatException("The 'resource' is not a name of letters, digits and '_'.");
        }

        var status = Lenient.Text(body["status"]);
        if (status is not ("create" or "update" or "delete"))
        {
            throw new WebhookFormatException("The 'status' is none of create, update, delete.");
        }

        if (Lenient.Id(body["resource_id"]) is not { } resourceId)
        {
            throw new WebhookFormatException("The 'resource_id' is not a positive integer.");
        }

        var data = body["data"] as JsonObject;
        if (data is null && status != "delete")
        {
            // [] stands for an empty object in this API; an event without its object carries nothing to store.
            throw new WebhookFormatException($"A '{status}' event has no 'data' object.");
        }

        var companyId = Lenient.Id(body["company_id"]) ?? Lenient.Id(data?["company_id"]);
        return new WebhookEvent
        {
            Resource = resource,
            ResourceId = resourceId.ToString(CultureInfo.InvariantCulture),
            CompanyId = companyId,
            Status = status,
            Stamp = Lenient.Timestamp(data?["last_change_date"]),
            Applicable = data is not null && s_streams.ContainsKey(resource) && companyId is not null,
        };
    }
}
