using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Webhooks;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;

namespace MyBi.Connectors.YClients.Webhooks;

/// <summary><c>GET</c>/<c>POST /hooks_settings/{company_id}</c>: where YCLIENTS sends a company's webhooks.</summary>
internal static class HooksSettings
{
    /// <summary>The most URLs YCLIENTS keeps for one company.</summary>
    public const int MaxUrls = 10;

    /// <summary>The event kinds of the settings object, in the API's order.</summary>
    public static IReadOnlyList<string> Flags { get; } =
    [
        "salon", "service_category", "service", "good", "master", "client", "record",
        "goods_operations_sale", "goods_operations_receipt", "goods_operations_consumable",
        "goods_operations_stolen", "goods_operations_move", "finances_operation",
    ];

    public static async Task<JsonObject> ReadAsync(YClientsHttpClient http, long companyId, CancellationToken cancellationToken)
    {
        var envelope = await http.SendAsync(Request(companyId, "read the webhook settings"), cancellationToken).ConfigureAwait(false);
        // A company that never had webhooks may answer with an empty list: no URLs, nothing on.
        return envelope?.Data as JsonObject ?? [];
    }

    public static async Task<JsonObject> WriteAsync(YClientsHttpClient http, long companyId, JsonObject settings, CancellationToken cancellationToken)
    {
        var request = Request(companyId, "change the webhook settings (that needs the right to the company's settings)") with { Method = HttpMethod.Post, Body = settings };
        var envelope = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return envelope?.Data as JsonObject ?? settings;
    }

    /// <summary>
    /// The settings with <paramref name="url"/> added after the URLs already there and sending turned on for every
    /// kind of event that feeds one of <paramref name="streams"/>; kinds already on stay on.
    /// </summary>
    public static JsonObject WithUrl(JsonObject current, long companyId, string url, IReadOnlyCollection<string> streams)
    {
        var urls = Urls(current);
        if (!urls.Contains(url, StringComparer.Ordinal))
        {
            if (urls.Count >= MaxUrls)
            {
                throw MyBiException.Config(string.Create(CultureInfo.InvariantCulture,
                    $"company {companyId} already sends webhooks to {urls.Count} URLs, the most YCLIENTS keeps: remove one in YCLIENTS (Settings, Webhooks) and run the command again. No company was changed."));
            }

            urls.Add(url);
        }

        var wanted = WebhookEnvelope.SettingsFlags
            .Where(kv => WebhookEnvelope.StreamsOf(kv.Key).Any(streams.Contains))
            .Select(kv => kv.Value)
            .ToHashSet(StringComparer.Ordinal);
        var settings = new JsonObject { ["urls"] = new JsonArray([.. urls.Select(u => (JsonNode)JsonValue.Create(u))]), ["active"] = 1 };
        foreach (var flag in Flags)
        {
            settings[flag] = wanted.Contains(flag) || Lenient.Bool(current[flag]) == true ? 1 : 0;
        }

        return settings;
    }

    public static WebhookSubscription ToSubscription(long companyId, JsonObject settings) => new()
    {
        Account = companyId.ToString(CultureInfo.InvariantCulture),
        Urls = Urls(settings),
        Active = Lenient.Bool(settings["active"]) == true,
        Kinds = Flags.ToDictionary(f => f, f => Lenient.Bool(settings[f]) == true, StringComparer.Ordinal),
    };

    private static List<string> Urls(JsonObject settings) =>
        settings["urls"] is JsonArray urls ? [.. urls.Select(Lenient.Text).OfType<string>().Where(u => u.Length > 0)] : [];

    private static ApiRequest Request(long companyId, string purpose) => new()
    {
        Stream = "hooks_settings",
        Path = string.Create(CultureInfo.InvariantCulture, $"/hooks_settings/{companyId}"),
        Purpose = purpose,
        CompanyId = companyId,
        IsList = false,
    };
}
