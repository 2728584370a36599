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

    /// <summary>The items of each page, detached from the answer so they can become rows.</summary>
    public static async IAsyncEnumerable<IReadOnlyList<JsonObject>> PagesAsync(
        YClientsHttpClient http,
        ApiRequest request,
        int count,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long rows = 0;
        var previousShort = false;
        for (var page = 1; page <= MaxPages; page++)
        {
            var envelope = await http.SendAsync(request.With("page", page).With("count", count), cancellationToken).ConfigureAwait(false)
                ?? ApiEnvelope.Empty();
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
            yield return Detach(raw);
            if (previousShort && total is { } known && rows >= known)
            {
                yield break;
            }
        }

        throw MyBiException.System($"YCLIENTS kept returning pages while trying to {request.Purpose} ({MaxPages} pages).");
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
            var text = id is JsonValue ? "id:" + id.ToJsonString() : "row:" + (item?.ToJsonString() ?? "null");
            rows.Add(text);
        }

        // One hash over the sorted rows (a row's text holds no newline: JSON escapes it), not one per row.
        rows.Sort(StringComparer.Ordinal);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', rows))));
    }
}
