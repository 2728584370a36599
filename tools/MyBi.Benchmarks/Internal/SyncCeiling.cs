using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Benchmarks.Internal;

/// <summary>
/// The ceiling of a sync: the pages the engine asked for, fetched one after the other with the connector's HTTP
/// settings (pooled sockets handler, decompression, the v2 Accept header, partner and user token) and parsed with
/// System.Text.Json; every item of each <c>data</c> array is walked, nothing is kept.
/// </summary>
internal sealed class SyncCeiling
{
    /// <summary>Rows per page asked of <c>/records</c> (the API's largest), by both paths.</summary>
    public const int PageSize = 300;

    private readonly Uri _origin;

    public SyncCeiling(Uri baseUrl)
    {
        _origin = new Uri(baseUrl.GetLeftPart(UriPartial.Authority));
    }

    public async Task<SyncCeilingResult> RunAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(120),
            AutomaticDecompression = DecompressionMethods.All,
            AllowAutoRedirect = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.yclients.v2+json"));
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("MyBi-Engine", "0.1"));
        var authorization = $"Bearer {SandboxCredentials.PartnerToken}, User {SandboxCredentials.UserToken}";

        var cpu = ProcessCpu.Now();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var collections = GcCollections.Now();
        var started = Stopwatch.GetTimestamp();
        var items = 0L;
        foreach (var target in targets)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_origin, target));
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                items += Walk(document.RootElement);
            }
        }

        return new SyncCeilingResult(items, Stopwatch.GetElapsedTime(started), ProcessCpu.Now() - cpu, GC.GetTotalAllocatedBytes(precise: true) - allocated, GcCollections.Now() - collections);
    }

    /// <summary>Counts the items of <c>data</c> (an array, or one object) and reads each of their values once.</summary>
    private static long Walk(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data))
        {
            return 0;
        }

        if (data.ValueKind == JsonValueKind.Object)
        {
            Touch(data);
            return 1;
        }

        if (data.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        var count = 0L;
        foreach (var item in data.EnumerateArray())
        {
            Touch(item);
            count++;
        }

        return count;
    }

    private static int Touch(JsonElement element)
    {
        var seen = 0;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    seen += Touch(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    seen += Touch(item);
                }

                break;
            case JsonValueKind.String:
                seen += element.GetString()!.Length;
                break;
            default:
                seen++;
                break;
        }

        return seen;
    }
}
