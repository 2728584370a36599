using System.Text.Json.Nodes;

namespace MyBi.Cli.Tests;

/// <summary>
/// The connector's config schema is the only statement of its rules: a bound it states is enforced by
/// <c>validate</c> and by <c>sync</c>, and changing it in the schema file changes what both accept.
/// </summary>
public sealed class ConfigSchemaTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-config-schema-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ValidateAndSync_BoundOfTheShippedSchema_BothRefuseAtItsLine()
    {
        var path = await WritePipelineAsync("over", pageSize: 301, pluginsDir: null);

        await AssertRefusedAsync(path, line: 5, "source.config.page_size: must be at most 300");
    }

    [Fact]
    public async Task ValidateAndSync_BoundChangedInThePluginsSchemaFileOnly_BothFollowTheFile()
    {
        CopyPlugin(Path.Combine(_folder, "plugins", "yclients"));
        var schemaPath = Path.Combine(_folder, "plugins", "yclients", "config.schema.json");
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(schemaPath))!.AsObject();
        schema["properties"]!["page_size"]!["maximum"] = 250;
        await File.WriteAllTextAsync(schemaPath, schema.ToJsonString());

        var path = await WritePipelineAsync("stricter", pageSize: 260, pluginsDir: "./plugins");

        await AssertRefusedAsync(path, line: 5, "source.config.page_size: must be at most 250");

        // The same value under the shipped schema is accepted: nothing else states the bound.
        var shipped = await WritePipelineAsync("shipped", pageSize: 260, pluginsDir: null);
        var validate = await CliProcess.RunAsync(_folder, null, "validate", shipped);
        Assert.True(validate.ExitCode == 0, validate.ToString());
    }

    private async Task AssertRefusedAsync(string path, int line, string message)
    {
        var validate = await CliProcess.RunAsync(_folder, null, "validate", path);
        Assert.True(validate.ExitCode == 2, validate.ToString());
        Assert.Contains($"{path}:{line}:", validate.Stderr, StringComparison.Ordinal);
        Assert.Contains(message, validate.Stderr, StringComparison.Ordinal);

        var sync = await CliProcess.RunAsync(_folder, null, "sync", path, "--streams", "staff");
        Assert.True(sync.ExitCode == 2, sync.ToString());
        Assert.Contains(message, sync.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_folder, "*.duckdb"));
    }

    private async Task<string> WritePipelineAsync(string name, int pageSize, string? pluginsDir)
    {
        var path = Path.Combine(_folder, name + ".yaml");
        await File.WriteAllTextAsync(path, $"""
            name: {name}
            source:
              connector: yclients
              config:
                page_size: {pageSize}
                base_url: http://127.0.0.1:9/api/v1
                partner_token: p-token
                user_token: u-token
                company_id: 1
              streams: [staff]
            destination: {"{"}type: duckdb, path: ./{name}.duckdb{"}"}
            {(pluginsDir is null ? "" : "plugins_dir: " + pluginsDir)}
            """);
        return path;
    }

    private static void CopyPlugin(string target)
    {
        var built = Path.Combine(CliProcess.CliDirectory, "plugins", "yclients");
        foreach (var file in Directory.EnumerateFiles(built, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(built, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
    }
}
