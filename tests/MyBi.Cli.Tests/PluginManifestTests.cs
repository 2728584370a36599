namespace MyBi.Cli.Tests;

/// <summary>Plugin manifests are read only after they pass plugin-manifest.schema.json, the one statement of their rules.</summary>
public sealed class PluginManifestTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-manifest-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Plugins_ManifestBreakingASchemaOnlyRule_SkippedWithThePositionedReason()
    {
        var plugins = Path.Combine(_folder, "plugins");
        CopyPlugin(Path.Combine(plugins, "yclients"));
        var good = await File.ReadAllTextAsync(Path.Combine(plugins, "yclients", "plugin.json"));
        // A version that is present but not a version, and an unknown key: the schema's rules, stated nowhere else.
        CopyPlugin(Path.Combine(plugins, "other"));
        var manifest = Path.Combine(plugins, "other", "plugin.json");
        await File.WriteAllTextAsync(manifest, good.Replace("\"yclients\"", "\"other\"", StringComparison.Ordinal).Replace("\"0.1.0\"", "\"one\"", StringComparison.Ordinal).Replace("\"entryType\"", "\"entrytype\": \"x\",\n  \"entryType\"", StringComparison.Ordinal));

        var result = await CliProcess.RunAsync(_folder, null, "plugins", "--plugins-dir", plugins);

        Assert.True(result.ExitCode == 0, result.ToString());
        var skipped = Assert.Single(result.Stdout.Split('\n'), l => l.StartsWith("skipped: ", StringComparison.Ordinal));
        Assert.Contains($"{manifest}:3:", skipped, StringComparison.Ordinal);
        Assert.Contains("version: must be a version such as 1.2.0", skipped, StringComparison.Ordinal);
        Assert.Contains("unknown key 'entrytype'", skipped, StringComparison.Ordinal);
        Assert.Contains("yclients", result.Stdout, StringComparison.Ordinal);
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
