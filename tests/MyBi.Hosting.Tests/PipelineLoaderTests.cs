using System.Runtime.Loader;
using Microsoft.Extensions.Time.Testing;
using MyBi.Abstractions.Errors;
using MyBi.Testing;

namespace MyBi.Hosting.Tests;

public sealed class PipelineLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-hosting-").FullName;
    private readonly string _plugins;
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public PipelineLoaderTests()
    {
        // A copy per test: whether the plugin's assembly was loaded is told by where it was loaded from.
        _plugins = Path.Combine(_folder, "plugins");
        CopyFolder(Path.Combine(AppContext.BaseDirectory, "plugins", "yclients"), Path.Combine(_plugins, "yclients"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private PipelineLoader Loader => new(new FakeTimeProvider(TestClock.Now), name => _environment.GetValueOrDefault(name));

    [Fact]
    public void Load_ThreeMistakesInFileAndConnectorConfig_ThreePositionedDiagnosticsInFileOrder()
    {
        var path = Write("""
            name: Bad Name
            source:
              connector: yclients
              config:
                partner_token: partner-token-value
                user_token: user-token-value
                company_id: "abc"
              streams: [records]
            destination: {type: duckdb, path: ./w.duckdb}
            sync: {batch_size: 0}
            """);

        var result = Loader.Load(path, PluginLoading.SchemasOnly);

        Assert.Null(result.Pipeline);
        // The first and last come from the pipeline schema, the middle one from the connector's: sorted together.
        Assert.Collection(
            result.Diagnostics,
            d => Assert.Equal((1, 7, "name"), (d.Line, d.Column, d.Path)),
            d => Assert.Equal((7, 17, "source.config.company_id"), (d.Line, d.Column, d.Path)),
            d => Assert.Equal((10, 20, "sync.batch_size"), (d.Line, d.Column, d.Path)));
        Assert.All(result.Diagnostics, d => Assert.Equal(path, d.File));
        Assert.StartsWith($"{path}:7:17: source.config.company_id: ", result.Diagnostics[1].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownStreamAndReportField_DiagnosticsAtTheirEntries()
    {
        var path = Write("""
            name: salon
            source:
              connector: yclients
              config: {partner_token: partner-token-value, user_token: user-token-value, company_id: 1}
              streams: [records, no_such_stream]
            destination: {type: duckdb, path: ./w.duckdb}
            reports:
              - name: Money
                type: finance_transactions
                fields: [id, no_such_field]
            """);

        var result = Loader.Load(path, PluginLoading.SchemasOnly);

        Assert.Collection(
            result.Diagnostics,
            d => Assert.Equal((5, 22, "source.streams[1]"), (d.Line, d.Column, d.Path)),
            d => Assert.Equal((10, 18, "reports[0].fields[1]"), (d.Line, d.Column, d.Path)));
        Assert.Throws<InvalidPipelineException>(() => result.GetPipelineOrThrow());
    }

    [Fact]
    public void Load_ValidFile_JobRedactsTheEnvironmentSecretAndTheConnectorsSecretKeys()
    {
        _environment["PARTNER"] = "partner-token-from-env";
        var path = Write("""
            name: salon
            source:
              connector: yclients
              config: {partner_token: "${PARTNER}", user_token: literal-user-token, login: visible-login, company_id: 1}
              streams: [records, clients]
            destination: {type: duckdb, path: ./w.duckdb}
            """);

        var pipeline = Valid(Loader.Load(path));
        var job = pipeline.CreateSyncJob(streams: ["clients"], from: new DateOnly(2026, 1, 1));

        Assert.Contains("partner-token-from-env", pipeline.SecretValues);
        Assert.Contains("literal-user-token", pipeline.SecretValues);
        Assert.DoesNotContain("visible-login", pipeline.SecretValues);
        // The file's own definition knows nothing of the connector's schema; only the loaded result carries both.
        Assert.DoesNotContain("literal-user-token", pipeline.Definition.SecretValues);
        var shown = job.Redactor.Apply("sent partner-token-from-env and literal-user-token as visible-login");
        Assert.DoesNotContain("partner-token-from-env", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("literal-user-token", shown, StringComparison.Ordinal);
        Assert.Contains("visible-login", shown, StringComparison.Ordinal);
        Assert.Equal(["clients"], job.Streams);
        Assert.Equal(TestClock.Today, job.To);
        Assert.Equal("partner-token-from-env", (string?)job.SourceConfig["partner_token"]);
    }

    [Fact]
    public void Load_VariableOnlyInTheSecretsFile_SubstitutedAndRedacted()
    {
        SecretsFile.Write(_folder, new Dictionary<string, string> { ["PARTNER"] = "partner-token-from-file" });
        var path = Write("""
            name: salon
            source:
              connector: yclients
              config: {partner_token: "${PARTNER}", user_token: user-token-value, company_id: 1}
            destination: {type: duckdb, path: ./w.duckdb}
            """);

        var pipeline = Valid(Loader.Load(path, PluginLoading.SchemasOnly));

        Assert.Equal("partner-token-from-file", (string?)pipeline.Definition.Source.Config["partner_token"]);
        Assert.Contains("partner-token-from-file", pipeline.SecretValues);
    }

    [Fact]
    public void Load_SchemasOnly_NeverLoadsThePluginAssembly()
    {
        var path = Write(ValidPipeline);

        var pipeline = Valid(Loader.Load(path, PluginLoading.SchemasOnly));

        Assert.Equal("yclients", pipeline.ConnectorId);
        Assert.False(PluginAssemblyLoaded(), "validation loaded the plugin's assembly");
        Assert.Throws<InvalidOperationException>(() => pipeline.Connector);
    }

    [Fact]
    public void Load_WithPluginCode_LoadsThePluginAssembly()
    {
        var path = Write(ValidPipeline);

        var pipeline = Valid(Loader.Load(path));

        Assert.Equal("yclients", pipeline.Connector.Name);
        Assert.True(PluginAssemblyLoaded());
    }

    [Fact]
    public void CreateReportJob_UnknownName_ConfigErrorNamingTheJobs()
    {
        var path = Write(ValidPipeline + """

            reports:
              - {name: Money, type: finance_transactions, fields: [id, amount]}
            """);
        var pipeline = Valid(Loader.Load(path));

        var error = Assert.Throws<MyBiException>(() => pipeline.CreateReportJob("Other"));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("'Money'", error.Message, StringComparison.Ordinal);
        Assert.Equal(["id", "amount"], pipeline.CreateReportJob("Money").Fields);
    }

    private const string ValidPipeline = """
        name: salon
        source:
          connector: yclients
          config: {partner_token: partner-token-value, user_token: user-token-value, company_id: 1}
        destination: {type: duckdb, path: ./w.duckdb}
        """;

    private static LoadedPipeline Valid(PipelineLoadResult result)
    {
        Assert.True(result.Diagnostics.Count == 0, string.Join(Environment.NewLine, result.Diagnostics));
        return result.GetPipelineOrThrow();
    }

    private bool PluginAssemblyLoaded() =>
        AssemblyLoadContext.All.SelectMany(context => context.Assemblies)
            .Any(assembly => !assembly.IsDynamic && assembly.Location.StartsWith(_plugins, StringComparison.Ordinal));

    private string Write(string yaml)
    {
        var path = Path.Combine(_folder, "pipeline.yaml");
        File.WriteAllText(path, $"{yaml}\nplugins_dir: {_plugins}\n");
        return path;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
