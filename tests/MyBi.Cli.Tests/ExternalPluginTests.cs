using System.Diagnostics;

namespace MyBi.Cli.Tests;

public sealed class ExternalPluginTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-plugin-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string RepositoryRoot() =>
        typeof(ExternalPluginTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;

    private async Task BuildEchoPluginAsync(string pluginFolder)
    {
        // Built on its own, outside MyBiEngine.sln, exactly as a third party would.
        var project = Path.Combine(RepositoryRoot(), "tests", "TestPlugins", "MyBi.Connectors.Echo", "MyBi.Connectors.Echo.csproj");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        var artifacts = Path.Combine(_folder, "echo-artifacts");
        foreach (var a in new[] { "build", project, "-c", "Release", "--artifacts-path", artifacts })
        {
            info.ArgumentList.Add(a);
        }

        using var build = Process.Start(info)!;
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();
        Assert.True(build.ExitCode == 0, await output + await errors);

        // "Dropping the plugin in" is copying its build output folder, as a user would.
        var built = Path.Combine(artifacts, "bin", "MyBi.Connectors.Echo", "release");
        foreach (var file in Directory.EnumerateFiles(built, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(pluginFolder, Path.GetRelativePath(built, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public async Task ValidateAndPlugins_RunNoPluginCode_AndTheWorkingDirectorysPluginsFolderIsNotSearched()
    {
        // The echo plugin's static constructor appends to the marker file whenever its code runs.
        var plugins = Path.Combine(_folder, "plugins");
        await BuildEchoPluginAsync(Path.Combine(plugins, "echo"));
        var marker = Path.Combine(_folder, "loaded.marker");
        var environment = new Dictionary<string, string?> { ["ECHO_LOADED_MARKER"] = marker };

        var list = await CliProcess.RunAsync(_folder, environment, "plugins", "--plugins-dir", plugins);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("numbers", list.Stdout, StringComparison.Ordinal);

        var pipeline = Path.Combine(_folder, "echo.yaml");
        await File.WriteAllTextAsync(pipeline, """
            name: echo-marker
            plugins_dir: ./plugins
            source:
              connector: echo
              config: {count: 3}
              streams: [numbers]
            destination: {type: duckdb, path: ./echo.duckdb}
            """);
        var validate = await CliProcess.RunAsync(_folder, environment, "validate", pipeline);
        Assert.True(validate.ExitCode == 0, validate.ToString());

        // The connector's checks still hold without its code: the schema files its manifest names are read.
        await File.WriteAllTextAsync(Path.Combine(_folder, "wrong.yaml"), """
            name: echo-wrong
            plugins_dir: ./plugins
            source:
              connector: echo
              config: {count: -1, colour: red}
              streams: [numbers, letters]
            destination: {type: duckdb, path: ./wrong.duckdb}
            """);
        var wrong = await CliProcess.RunAsync(_folder, environment, "validate", "wrong.yaml");
        Assert.True(wrong.ExitCode == 2, wrong.ToString());
        Assert.Contains("wrong.yaml:5:", wrong.Stderr, StringComparison.Ordinal);
        Assert.Contains("colour", wrong.Stderr, StringComparison.Ordinal);
        Assert.Contains("unknown stream 'letters'; 'echo' offers: numbers", wrong.Stderr, StringComparison.Ordinal);

        Assert.False(File.Exists(marker), "validate and plugins must not run plugin code");

        // ./plugins of the working directory is used only when a pipeline names it.
        await File.WriteAllTextAsync(Path.Combine(_folder, "unnamed.yaml"), """
            name: echo-unnamed
            source:
              connector: echo
              config: {count: 3}
            destination: {type: duckdb, path: ./unnamed.duckdb}
            """);
        var unnamed = await CliProcess.RunAsync(_folder, environment, "validate", "unnamed.yaml");
        Assert.True(unnamed.ExitCode == 2, unnamed.ToString());
        Assert.Contains("No connector plugin 'echo'", unnamed.Stderr, StringComparison.Ordinal);
        var listHere = await CliProcess.RunAsync(_folder, environment, "plugins");
        Assert.True(listHere.ExitCode == 0, listHere.ToString());
        Assert.DoesNotContain(listHere.Stdout.Split('\n'), line => line.Contains("echo", StringComparison.Ordinal));
        Assert.DoesNotContain(plugins, listHere.Stdout, StringComparison.Ordinal);

        // A sync does load the plugin, which is how the marker is known to work.
        var sync = await CliProcess.RunAsync(_folder, environment, "sync", pipeline);
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.True(File.Exists(marker), "sync runs the plugin, so its static constructor leaves the marker");
    }

    [Fact]
    public async Task ExternalPlugin_DroppedIntoFolder_IsListedAndSyncs()
    {
        var plugins = Path.Combine(_folder, "plugins");
        await BuildEchoPluginAsync(Path.Combine(plugins, "echo"));
        Assert.False(File.Exists(Path.Combine(plugins, "echo", "MyBi.Abstractions.dll")), "the contract must come from the host, not the plugin folder");

        var list = await CliProcess.RunAsync(_folder, null, "plugins", "--plugins-dir", plugins);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("echo", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("numbers", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("yclients", list.Stdout, StringComparison.Ordinal);

        var pipeline = Path.Combine(_folder, "echo.yaml");
        await File.WriteAllTextAsync(pipeline, """
            name: echo-test
            plugins_dir: ./plugins
            source:
              connector: echo
              config: {count: 1234, label: "привет 👋"}
            destination: {type: duckdb, path: ./echo.duckdb}
            """);
        var sync = await CliProcess.RunAsync(_folder, null, "sync", pipeline);
        Assert.True(sync.ExitCode == 0, sync.ToString());

        var query = await CliProcess.RunAsync(_folder, null, "query", pipeline, "select count(*) as n, sum(amount) as s, count(distinct label) as l, sum(case when meta_even then 1 else 0 end) as e from numbers", "--json");
        Assert.True(query.ExitCode == 0, query.ToString());
        var row = System.Text.Json.JsonDocument.Parse(query.Stdout).RootElement[0];
        Assert.Equal(1234, row.GetProperty("n").GetInt64());
        Assert.Equal(7619.95m, row.GetProperty("s").GetDecimal());
        Assert.Equal(1, row.GetProperty("l").GetInt64());
        Assert.Equal(617, row.GetProperty("e").GetInt64());

        var bad = await CliProcess.RunAsync(_folder, null, "validate", pipeline.Replace("echo.yaml", "missing.yaml", StringComparison.Ordinal));
        Assert.Equal(2, bad.ExitCode);
    }
}
