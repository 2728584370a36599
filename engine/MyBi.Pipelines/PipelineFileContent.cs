using System.Text.Json.Nodes;

namespace MyBi.Pipelines;

/// <summary>
/// What goes into a new pipeline file (<see cref="PipelineFileWriter"/>). Values are written as they are; secret
/// settings are given by the name of the variable that holds them and written as <c>${NAME}</c> references.
/// </summary>
public sealed class PipelineFileContent
{
    /// <summary>The pipeline name (lowercase letters, digits, '_' and '-').</summary>
    public required string Name { get; init; }

    /// <summary>The connector plugin id (<c>source.connector</c>).</summary>
    public required string Connector { get; init; }

    /// <summary>Settings written into <c>source.config</c> as they are.</summary>
    public JsonObject SourceConfig { get; init; } = [];

    /// <summary>Secret settings of <c>source.config</c>: the variable that holds each, by config key.</summary>
    public IReadOnlyDictionary<string, string> SourceSecrets { get; init; } = new Dictionary<string, string>();

    /// <summary>The streams to load, in order; empty leaves <c>source.streams</c> out (every stream).</summary>
    public IReadOnlyList<string> Streams { get; init; } = [];

    /// <summary>The <c>destination</c> block without secrets, including its <c>type</c>.</summary>
    public required JsonObject Destination { get; init; }

    /// <summary>Secret settings of the destination: the variable that holds each, by key (e.g. <c>connection</c>).</summary>
    public IReadOnlyDictionary<string, string> DestinationSecrets { get; init; } = new Dictionary<string, string>();

    /// <summary>Lines for the comment at the top of the file (without <c>#</c>).</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];
}
