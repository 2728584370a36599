using MyBi.Abstractions.Streams;

namespace MyBi.Connectors.YClients.Streams;

/// <summary>A stream's descriptor plus what the connector needs from its schema while shaping rows.</summary>
internal sealed class StreamDefinition
{
    public required StreamDescriptor Descriptor { get; init; }

    /// <summary>Property paths declared as <c>date-time</c>; naive local values there get the company's offset.</summary>
    public required IReadOnlyList<string[]> DateTimePaths { get; init; }

    /// <summary>Filter fields the stream accepts (its <c>x-filters</c> properties).</summary>
    public required IReadOnlyList<string> FilterFields { get; init; }

    /// <summary>Every column name, flattened, in schema order (for documentation checks).</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>
    /// Columns holding the company's local clock reading or local day of another timestamp column of the row
    /// (their <c>x-local-time-of</c> keyword); none for streams without business times.
    /// </summary>
    public IReadOnlyList<LocalTimeColumn> LocalTimes { get; init; } = [];

    public string Name => Descriptor.Name;
}

/// <summary>A column derived from the timestamp column <paramref name="Source"/>: its local day or its local clock reading.</summary>
internal sealed record LocalTimeColumn(string Column, string Source, bool IsDay);
