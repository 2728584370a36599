using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>
/// Page/count pagination. A short page is not taken as the last one, because the API may cap <c>count</c> below what
/// was asked: the read ends on an empty page, or on a short page once <c>meta.total_count</c> (where the endpoint
/// gives it) is reached. A page with the same rows as an earlier one means the server ignores <c>page</c>.
/// </summary>
internal static class Paginator
{
    private const int MaxPages = 100_000;

    /// <summary>
    /// The items of each page, detached from the answer so they can become rows. The request for the next page,
    /// which the loop would send anyway once this page is consumed, is sent before this page is handed out: its
    /// answer is fetched and parsed while the rows of this one are written.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<JsonObject>> PagesAsync(
        YClientsHttpClient http,
        ApiRequest request,
        int count,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long rows = 0;
        var previousShort = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<ApiEnvelope?>? next = null;
        try
        {
            for (var page = 1; page <= MaxPages; page++)
            {
                var pending = next ?? http.SendAsync(request.With("page", page).With("count", count), cancellationToken);
                next = null;
                var envelope = await pending.ConfigureAwait(false) ?? ApiEnvelope.Empty();
                var raw = envelope.Items;
                var rawCount = raw.Count;
                var total = TotalCount(envelope.Meta);
                if (rawCount == 0)
                {
                    yield return [];
                    yield break;
                }

                if (!seen.Add(Fingerprint(raw)))
                {
                    // A server that ignores 'page' would otherwise be read forever. After a short page it may simply be
                    // an endpoint without pages that already gave everything; with full pages, or short of total_count,
                    // rows would be missing.
                    if (previousShort && (total is null || rows >= total))
                    {
                        yield break;
                    }

                    throw MyBiException.System(
                        $"YCLIENTS returned the same rows for page {page} as for an earlier page while trying to {request.Purpose} ({request.Path}); the answer cannot be paged.");
                }

                if (page == 1 && total is { } announced && count > 0)
                {
                    http.Observer.OnPagesExpected(request.Stream, Math.Max(1, (announced + count - 1) / count));
                }

                rows += rawCount;
                previousShort = rawCount < count;
                var items = Detach(raw);
                var last = previousShort && total is { } known && rows >= known;
                if (!last && page < MaxPages)
                {
                    next = http.SendAsync(request.With("page", page + 1).With("count", count), stop.Token);
                }

                yield return items;
                if (last)
                {
                    yield break;
                }
            }
        }
        finally
        {
            if (next is not null)
            {
                // The reader stopped before the next page was needed: the request is called off, and its outcome
                // (most likely the cancellation) belongs to no one.
                await stop.CancelAsync().ConfigureAwait(false);
                await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        throw MyBiException.System($"YCLIENTS kept returning pages while trying to {request.Purpose} ({MaxPages} pages).");
    }

    /// <summary>
    /// The requests <see cref="PagesAsync"/> would send for <paramref name="request"/>, from <c>meta.total_count</c>
    /// read with one request of one row: a short last page ends the read, a full one is followed by an empty page.
    /// Null when the answer gives no total.
    /// </summary>
    public static async Task<long?> PagesNeededAsync(YClientsHttpClient http, ApiRequest request, int count, CancellationToken cancellationToken)
    {
        var envelope = await http.SendAsync(request.With("page", 1).With("count", 1), cancellationToken).ConfigureAwait(false);
        if (envelope is null)
        {
            return 1;
        }

        return TotalCount(envelope.Meta) is { } total && count > 0 ? (total / count) + 1 : null;
    }

    /// <summary><c>meta.total_count</c> when the answer gives it (records and clients do; most lists send <c>[]</c>).</summary>
    public static long? TotalCount(JsonNode? meta) =>
        meta is JsonObject obj && Lenient.Long(obj["total_count"]) is { } total and >= 0 ? total : null;

    /// <summary>Takes the objects out of an answer's array (a JSON node has one parent).</summary>
    public static IReadOnlyList<JsonObject> Detach(JsonArray array)
    {
        var nodes = array.ToList();
        array.Clear();
        var items = new List<JsonObject>(nodes.Count);
        foreach (var node in nodes)
        {
            if (node is JsonObject item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    /// <summary>
    /// Identifies a page by its rows, in any order (ties come in a different order on every request): a row by its
    /// id, a row without one by its whole content.
    /// </summary>
    private static string Fingerprint(JsonArray items)
    {
        var rows = new List<string>(items.Count);
        foreach (var item in items)
        {
            var id = (item as JsonObject)?["id"];

            // An integer id (the usual case) is written without a JSON writer, which cost more than the rest of the
            // fingerprint; any other id as its JSON text, so "1" and 1 stay different.
            var text = id is JsonValue value && value.TryGetValue<long>(out var number) ? "id:" + number.ToString(CultureInfo.InvariantCulture)
                : id is JsonValue ? "id:" + id.ToJsonString()
                : "row:" + (item?.ToJsonString() ?? "null");
            rows.Add(text);
        }

        // One hash over the sorted rows (a row's text holds no newline: JSON escapes it), not one per row.
        rows.Sort(StringComparer.Ordinal);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', rows))));
    }
}
