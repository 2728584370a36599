namespace MyBi.Abstractions.Streams;

/// <summary>
/// A stream a connector can read: one analysis-ready table. Its columns come from <see cref="JsonSchema"/>:
/// nested objects with properties are flattened with '_' (client.id becomes client_id), arrays and
/// free-form objects become JSON columns, <c>"format": "decimal"</c> numbers become exact decimals and
/// <c>"format": "date-time"</c> strings become timestamps, <c>"format": "local-date-time"</c> strings wall-clock
/// date-times without a zone (<see cref="Records.ColumnType.LocalDateTime"/>) and <c>"format": "date"</c> strings dates.
/// </summary>
public sealed class StreamDescriptor
{
    /// <summary>The stream name, which is also its table name.</summary>
    public required string Name { get; init; }

    /// <summary>The JSON Schema (draft 2020-12 or 7) of one row, as text.</summary>
    public required string JsonSchema { get; init; }

    /// <summary>The primary key columns (flattened names).</summary>
    public required IReadOnlyList<string> PrimaryKey { get; init; }

    /// <summary>The column that moves forward as data changes, for incremental reads; null for full-refresh streams.</summary>
    public string? CursorField { get; init; }

    /// <summary>For a child stream (e.g. record_services), the stream whose rows its rows belong to.</summary>
    public string? Parent { get; init; }

    /// <summary>
    /// The column that dates a row for the business (a session's start, a transaction's date): retention deletes by
    /// it and reloads stop at its horizon. A child stream names its copy of the parent's date, so children go with
    /// their parent. Null when rows have no such date (reference data such as staff or services).
    /// </summary>
    public string? BusinessDate { get; init; }

    /// <summary>What the stream holds, for documentation and <c>discover</c>.</summary>
    public string? Description { get; init; }
}
