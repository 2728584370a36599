using System.Text.Json.Nodes;

namespace MyBi.Abstractions.Streams;

/// <summary>What the engine asks a source session to read.</summary>
public sealed class ReadRequest
{
    /// <summary>The selected streams; a connector must not request data for any other.</summary>
    public required IReadOnlyList<string> Streams { get; init; }

    /// <summary>The state last committed for this pipeline (from a <see cref="SourceCheckpoint"/>), or null on a first run.</summary>
    public JsonObject? State { get; init; }

    /// <summary>First day of an explicitly requested period, or null to continue incrementally.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Last day (inclusive) of an explicitly requested period, or null for today.</summary>
    public DateOnly? To { get; init; }

    /// <summary>
    /// The retention horizon: rows dated before this day are deleted by retention, so a connector should not ask for
    /// them (its windows and lookbacks start no earlier). The engine drops such rows should they come anyway.
    /// </summary>
    public DateOnly? Horizon { get; init; }

    /// <summary>Row filters per stream name, as written in the pipeline file (already validated against the stream schema).</summary>
    public IReadOnlyDictionary<string, JsonObject> Filters { get; init; } = new Dictionary<string, JsonObject>();
}
