using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Configuration;
using MyBi.Connectors.YClients.Http;

namespace MyBi.Connectors.YClients.Tests.Support;

/// <summary>Builds an HTTP client over a fake handler, on a host of its own so no rate budget is shared.</summary>
internal static class UnitClient
{
    public static YClientsOptions Options(Action<JsonObject>? change = null)
    {
        var config = new JsonObject
        {
            ["base_url"] = $"http://unit-{Guid.NewGuid():N}.test/api/v1",
            ["partner_token"] = "partner-secret",
            ["user_token"] = "user-secret",
            ["company_id"] = 412345,
            ["requests_per_second"] = 1000,
            ["requests_per_minute"] = 100000,
            ["max_retries"] = 2,
        };
        change?.Invoke(config);
        return YClientsOptions.Parse(config);
    }

    public static YClientsHttpClient Create(FakeHandler handler, YClientsOptions? options = null, CountingObserver? observer = null) =>
        new(options ?? Options(), observer ?? new CountingObserver(), handler, retryDelay: TimeSpan.FromMilliseconds(1));
}
