using System.Text.Json.Nodes;
using MyBi.Abstractions.Destinations;

namespace MyBi.Destinations.Postgres;

/// <summary>
/// Creates <see cref="PostgresDestination"/>s from a pipeline's
/// <c>destination: {type: postgres, connection: "Host=…;Database=…;Username=…;Password=…", schema: yclients}</c>.
/// </summary>
public sealed class PostgresDestinationProvider : DestinationProvider
{
    /// <inheritdoc />
    public override string Type => "postgres";

    /// <inheritdoc />
    public override Destination Create(JsonObject config, string baseDirectory) =>
        new PostgresDestination(PostgresDestinationOptions.FromConfig(config));
}
