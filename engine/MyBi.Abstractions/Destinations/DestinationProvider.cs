using System.Text.Json.Nodes;

namespace MyBi.Abstractions.Destinations;

/// <summary>Creates destinations of one type (<c>destination.type</c> in a pipeline file).</summary>
public abstract class DestinationProvider
{
    /// <summary>The type name, e.g. <c>duckdb</c>.</summary>
    public abstract string Type { get; }

    /// <summary>
    /// Binds the <c>destination</c> block (already schema-validated, with <c>${ENV}</c> replaced) and creates a
    /// destination. Does not connect yet. Relative paths resolve against <paramref name="baseDirectory"/>.
    /// </summary>
    public abstract Destination Create(JsonObject config, string baseDirectory);
}
