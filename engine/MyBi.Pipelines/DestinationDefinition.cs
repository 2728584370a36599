using System.Text.Json.Nodes;

namespace MyBi.Pipelines;

/// <summary>The <c>destination</c> block.</summary>
public sealed class DestinationDefinition
{
    internal DestinationDefinition(string type, JsonObject config)
    {
        Type = type;
        Config = config;
    }

    /// <summary><c>duckdb</c>, <c>postgres</c> or <c>clickhouse</c>.</summary>
    public string Type { get; }

    /// <summary>
    /// The whole block as written (including <c>type</c>), environment variables substituted. Relative paths are
    /// left as written: the destination resolves them against <see cref="PipelineDefinition.BaseDirectory"/>.
    /// </summary>
    public JsonObject Config { get; }
}
