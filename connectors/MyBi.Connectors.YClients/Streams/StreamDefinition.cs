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

    public string Name => Descriptor.Name;
}
