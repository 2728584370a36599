using System.Text.Json.Nodes;

namespace MyBi.Pipelines;

/// <summary>The <c>source</c> block.</summary>
public sealed class SourceDefinition
{
    internal SourceDefinition(string connector, JsonObject config, IReadOnlyList<StreamSelection> streams, IReadOnlyDictionary<string, JsonObject> filters)
    {
        Connector = connector;
        Config = config;
        Streams = streams;
        Filters = filters;
    }

    /// <summary>The connector plugin id.</summary>
    public string Connector { get; }

    /// <summary>The connector settings with environment variables substituted; empty when the file has none.</summary>
    public JsonObject Config { get; }

    /// <summary>The selected streams in file order; empty means every stream the connector offers.</summary>
    public IReadOnlyList<StreamSelection> Streams { get; }

    /// <summary>Filters per stream name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Filters { get; }
}
