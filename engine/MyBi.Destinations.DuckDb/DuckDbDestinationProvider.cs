using System.Text.Json.Nodes;
using MyBi.Abstractions.Destinations;

namespace MyBi.Destinations.DuckDb;

/// <summary>Creates the embedded DuckDB destination, the default warehouse (<c>type: duckdb</c>).</summary>
public sealed class DuckDbDestinationProvider : DestinationProvider
{
    /// <inheritdoc />
    public override string Type => "duckdb";

    /// <inheritdoc />
    public override Destination Create(JsonObject config, string baseDirectory) =>
        new DuckDbDestination(DuckDbDestinationOptions.FromConfig(config, baseDirectory));
}
