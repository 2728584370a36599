using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;
using MyBi.Pipelines;
using MyBi.Plugins.Hosting;

namespace MyBi.Hosting;

/// <summary>
/// Loads a pipeline file and checks it as a whole before anything runs: its own schema, then the connector's config
/// schema, stream names, filters, report jobs and rule files. Every problem is collected, so the user sees them all
/// at once; a mistake in the file never throws.
/// </summary>
public sealed class PipelineLoader
{
    private readonly TimeProvider _timeProvider;
    private readonly Func<string, string?> _environment;

    /// <param name="timeProvider">The process clock: "today" of rule checks and of the jobs the pipeline builds.</param>
    /// <param name="environment">
    /// Reads environment variables (for <c>${VAR}</c> and <c>MYBI_PLUGINS_PATH</c>); a variable it does not know is
    /// looked up in the secrets file beside the pipeline.
    /// </param>
    public PipelineLoader(TimeProvider timeProvider, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(environment);
        _timeProvider = timeProvider;
        _environment = environment;
    }

    /// <summary>Loads and checks the pipeline file at <paramref name="path"/>.</summary>
    /// <param name="path">The file, as the user named it (diagnostics quote it as given).</param>
    /// <param name="plugins">Whether the connector plugin's code may run; see <see cref="PluginLoading"/>.</param>
    /// <param name="credentials">Whether the source's settings must be complete; see <see cref="SourceCredentials"/>.</param>
    public PipelineLoadResult Load(string path, PluginLoading plugins = PluginLoading.Load, SourceCredentials credentials = SourceCredentials.Required)
    {
        ArgumentNullException.ThrowIfNull(path);
        var secrets = SecretsFile.ReadBeside(path);
        var parsed = PipelineParser.Load(path, name => _environment(name) ?? secrets.GetValueOrDefault(name), credentials == SourceCredentials.NotNeeded);
        var diagnostics = new List<PipelineDiagnostic>(parsed.Errors);
        if (parsed.Document is not { } document)
        {
            return PipelineLoadResult.Invalid(diagnostics);
        }

        // Even when the file has errors of its own, the connector's checks still run, so all mistakes show at once.
        var definition = parsed.Definition;
        if ((definition?.Source.Connector ?? document.TryGetString("source.connector")) is not { } connectorId)
        {
            return PipelineLoadResult.Invalid(diagnostics);
        }

        var catalog = PluginCatalog.Discover(PluginDirectories.Resolve(definition?.PluginsDirectory ?? PluginsDirectoryOf(document, path), _environment));
        SourceConnector? connector;
        PluginDescription? described;
        try
        {
            connector = plugins == PluginLoading.Load ? catalog.GetConnector(connectorId) : null;
            described = connector is null ? catalog.Describe(connectorId) : PluginDescription.Of(connector);
        }
        catch (MyBiException ex) when (ex.Kind == FailureKind.Config)
        {
            diagnostics.Add(document.ErrorAt("source.connector", ex.Message));
            return PipelineLoadResult.Invalid(diagnostics);
        }

        // The redaction set is the file's own secrets and those the connector's config schema marks; nothing adds to it later.
        var redacted = new HashSet<string>(definition?.SecretValues ?? [], StringComparer.Ordinal);
        if (described?.ConfigSchema is { } configSchema)
        {
            diagnostics.AddRange(document.Validate("source.config", configSchema));
            redacted.UnionWith(document.SecretValues("source.config", configSchema));
        }

        if (definition is null)
        {
            return PipelineLoadResult.Invalid(diagnostics);
        }

        var today = DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime);
        diagnostics.AddRange(described is null
            ? ConnectorChecks.Rules(definition, document, Array.Empty<StreamDescriptor>(), today)
            : ConnectorChecks.All(definition, document, described, today));
        if (diagnostics.Count > 0)
        {
            return PipelineLoadResult.Invalid(diagnostics);
        }

        // Without schema files there is nothing to check the connector's part against short of running the plugin.
        var notice = described is null
            ? $"plugin '{connectorId}' declares no schema files in its plugin.json; source.config, streams, filters and reports were not checked against the connector"
            : null;
        return PipelineLoadResult.Loaded(new LoadedPipeline(definition, connector, catalog, notice, redacted, _timeProvider));
    }

    private static string? PluginsDirectoryOf(PipelineDocument document, string path) =>
        document.TryGetString("plugins_dir") is string dir ? Path.GetFullPath(dir, Path.GetDirectoryName(Path.GetFullPath(path))!) : null;
}
