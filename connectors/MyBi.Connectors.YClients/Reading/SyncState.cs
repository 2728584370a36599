using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Parsing;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>
/// The connector state: per company and per stream, the cursor reached (an instant with its offset).
/// <code>{"version":1,"companies":{"100001":{"records":{"cursor":"2024-03-01T16:41:02+03:00"}}}}</code>
/// </summary>
internal sealed class SyncState
{
    private const int Version = 1;
    private readonly JsonObject _companies;

    private SyncState(JsonObject companies) => _companies = companies;

    /// <summary>Reads a stored state; null or an empty object is a first run.</summary>
    public static SyncState From(JsonObject? state)
    {
        if (state is null || state.Count == 0)
        {
            return new SyncState([]);
        }

        if (state["companies"] is not JsonObject companies || Lenient.Long(state["version"]) is not Version)
        {
            throw MyBiException.Config(
                "The stored YCLIENTS state is not one this connector wrote (unknown version or shape): reset the pipeline state to load again.");
        }

        return new SyncState((JsonObject)companies.DeepClone());
    }

    /// <summary>The cursor of a stream in a company, or null when it was never read.</summary>
    public DateTimeOffset? Cursor(string company, string stream) =>
        (_companies[company] as JsonObject)?[stream] is JsonObject entry ? Lenient.Timestamp(entry["cursor"]) : null;

    /// <summary>Moves a cursor forward (never back).</summary>
    public void Advance(string company, string stream, DateTimeOffset cursor)
    {
        if (Cursor(company, stream) is { } current && current >= cursor)
        {
            return;
        }

        if (_companies[company] is not JsonObject entries)
        {
            entries = [];
            _companies[company] = entries;
        }

        entries[stream] = new JsonObject { ["cursor"] = Lenient.Format(cursor) };
    }

    /// <summary>A copy of the whole state, for a checkpoint.</summary>
    public JsonObject ToJson() => new()
    {
        ["version"] = Version,
        ["companies"] = _companies.DeepClone(),
    };

    public override string ToString() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
