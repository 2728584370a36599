using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>
/// Page/count pagination. It stops on the first page shorter than <c>count</c> and never trusts
/// <c>meta.total_count</c>, which YCLIENTS describes ambiguously.
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
        long? previousFirstId = null;
        for (var page = 1; page <= MaxPages; page++)
        {
            var envelope = await http.SendAsync(request.With("page", page).With("count", count), cancellationToken).ConfigureAwait(false)
                ?? ApiEnvelope.Empty();
            var raw = envelope.Items;
            var rawCount = raw.Count;
            var items = Detach(raw);
            var firstId = items.Count > 0 ? Lenient.Long(items[0]["id"]) : null;
            if (page > 1 && rawCount == count && firstId is not null && firstId == previousFirstId)
            {
                // A server that ignores 'page' would otherwise be read forever.
                throw MyBiException.System($"YCLIENTS returned the same page twice while trying to {request.Purpose}; the answer cannot be paged.");
            }

            previousFirstId = firstId;
            yield return items;
            if (rawCount < count)
            {
                yield break;
            }
        }

        throw MyBiException.System($"YCLIENTS kept returning full pages while trying to {request.Purpose} ({MaxPages} pages).");
    }

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
}
