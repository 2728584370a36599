using System.Text.Json.Nodes;
using MyBi.Abstractions.Destinations;

namespace MyBi.Destinations.ClickHouse;

/// <summary>Creates ClickHouse destinations (<c>type: clickhouse</c>).</summary>
public sealed class ClickHouseDestinationProvider : DestinationProvider
{
    /// <inheritdoc />
    public override string Type => "clickhouse";

    /// <inheritdoc />
    public override Destination Create(JsonObject config, string baseDirectory) =>
        new ClickHouseDestination(ClickHouseDestinationOptions.FromConfig(config));
}
