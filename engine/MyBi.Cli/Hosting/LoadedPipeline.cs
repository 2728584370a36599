using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Cli.Output;
using MyBi.Engine.Schema;
using MyBi.Pipelines;
using MyBi.Plugins.Hosting;

namespace MyBi.Cli.Hosting;

/// <summary>
/// A pipeline file checked as a whole before anything runs: its own schema, the connector's config schema,
/// stream names and filters. Every problem is collected so the user sees them all at once.
/// </summary>
internal sealed class LoadedPipeline
{
    private LoadedPipeline(PipelineDefinition definition, SourceConnector connector, PluginCatalog catalog)
    {
        Definition = definition;
        Connector = connector;
        Catalog = catalog;
        Redactor = new Redactor(definition.SecretValues);
    }

    public PipelineDefinition Definition { get; }

    public SourceConnector Connector { get; }

    public PluginCatalog Catalog { get; }

    public Redactor Redactor { get; }

    public IReadOnlyList<string> SelectedStreams => Definition.Source.Streams.Select(s => s.Name).ToList();

    /// <summary>Loads and validates; returns the errors as printable lines when there are any.</summary>
    public static (LoadedPipeline? Pipeline, IReadOnlyList<string> Errors) Load(string path)
    {
        var result = PipelineLoader.Load(path);
        var errors = result.Errors.Select(e => e.ToString()).ToList();
        if (result.Definition is not { } definition || result.Document is not { } document)
        {
            return (null, errors);
        }

        var catalog = PluginCatalog.Discover(PluginDirectories.Resolve(definition.PluginsDirectory));
        SourceConnector connector;
        try
        {
            connector = catalog.GetConnector(definition.Source.Connector);
        }
        catch (MyBiException ex) when (ex.Kind == FailureKind.Config)
        {
            errors.Add(document.ErrorAt("source.connector", ex.Message).ToString());
            return (null, errors);
        }

        errors.AddRange(document.Validate("source.config", connector.ConfigSchema).Select(e => e.ToString()));
        var offered = connector.Streams.ToDictionary(s => s.Name, StringComparer.Ordinal);
        for (var i = 0; i < definition.Source.Streams.Count; i++)
        {
            var name = definition.Source.Streams[i].Name;
            if (!offered.ContainsKey(name))
            {
                errors.Add(document.ErrorAt($"source.streams[{i}]", $"unknown stream '{name}'; '{connector.Name}' offers: {string.Join(", ", offered.Keys)}").ToString());
            }
        }

        foreach (var (stream, filter) in definition.Source.Filters)
        {
            if (!offered.TryGetValue(stream, out var descriptor))
            {
                errors.Add(document.ErrorAt($"source.filters.{stream}", $"unknown stream '{stream}'").ToString());
                continue;
            }

            if (definition.Source.Streams.Count > 0 && definition.Source.Streams.All(s => s.Name != stream))
            {
                errors.Add(document.ErrorAt($"source.filters.{stream}", $"stream '{stream}' is not selected in source.streams").ToString());
                continue;
            }

            errors.AddRange(document.Validate($"source.filters.{stream}", FilterSchema(descriptor.JsonSchema, stream)).Select(e => e.ToString()));
        }

        return errors.Count > 0 ? (null, errors) : (new LoadedPipeline(definition, connector, catalog), errors);
    }

    /// <summary>The filters a stream accepts are declared by its schema's <c>x-filters</c> object (a JSON Schema "properties" map).</summary>
    private static string FilterSchema(string streamSchema, string stream)
    {
        var filters = (JsonNode.Parse(streamSchema) as JsonObject)?["x-filters"]?.DeepClone() as JsonObject ?? new JsonObject();
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = filters,
            ["description"] = $"Filters of stream {stream}",
        };
        return schema.ToJsonString();
    }

    internal static CompiledStream Compile(SourceConnector connector, string stream) =>
        StreamSchemaCompiler.Compile(connector.Streams.First(s => s.Name == stream));
}
