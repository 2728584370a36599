using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Normalization;

namespace MyBi.Engine.Schema;

/// <summary>A stream's table shape plus, for every column, where its value sits in a source row.</summary>
public sealed class CompiledStream
{
    internal CompiledStream(StreamDescriptor descriptor, TableSchema table, IReadOnlyList<string[]> paths, bool keepExtra)
    {
        Descriptor = descriptor;
        Table = table;
        Paths = paths;
        Known = keepExtra ? KnownFields.From(paths) : null;
    }

    /// <summary>The connector's declaration.</summary>
    public StreamDescriptor Descriptor { get; }

    /// <summary>The destination table.</summary>
    public TableSchema Table { get; }

    /// <summary>The row's primary key as "k=v, …", for messages and the quarantine.</summary>
    public string KeyOf(JsonObject row) => string.Join(", ", Table.PrimaryKey.Select(k =>
        $"{k}={JsonPaths.Navigate(row, Paths[Table.IndexOf(k)])?.ToJsonString() ?? "null"}"));

    /// <summary>For column i, the property names leading to its value (client_id => ["client", "id"]); the <c>_extra</c> column has none.</summary>
    internal IReadOnlyList<string[]> Paths { get; }

    /// <summary>The fields the schema describes, to find what goes into <c>_extra</c>; null when the table has no such column.</summary>
    internal KnownFields? Known { get; }
}
