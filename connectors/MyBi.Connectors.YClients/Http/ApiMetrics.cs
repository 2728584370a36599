using System.Diagnostics.Metrics;

namespace MyBi.Connectors.YClients.Http;

/// <summary>
/// Requests to the YCLIENTS API, published on a meter of the plugin's own (the engine's host listens to every
/// <c>MyBi.*</c> meter), so the plugin needs nothing beyond the contract to be counted.
/// </summary>
internal static class ApiMetrics
{
    public const string MeterName = "MyBi.Connectors.YClients";

    private static readonly Meter s_meter = new(MeterName);

    private static readonly Counter<long> s_requests = s_meter.CreateCounter<long>("mybi.api.requests", "{request}", "Requests to the source API that got an answer, by HTTP status.");

    private static readonly Counter<long> s_throttled = s_meter.CreateCounter<long>("mybi.api.throttled", "{request}", "Requests the source API answered with 429 Too Many Requests.");

    /// <summary>Counts an answer from <paramref name="endpoint"/> (the API's host and port: a pipeline names one base_url).</summary>
    public static void Answered(string? endpoint, int status)
    {
        var where = new KeyValuePair<string, object?>("endpoint", endpoint ?? string.Empty);
        s_requests.Add(1, new KeyValuePair<string, object?>("connector", "yclients"), where, new KeyValuePair<string, object?>("status", status));
        if (status == 429)
        {
            s_throttled.Add(1, new KeyValuePair<string, object?>("connector", "yclients"), where);
        }
    }
}
