using System.CommandLine;
using MyBi.Abstractions.Errors;
using MyBi.Cli.Output;
using MyBi.Hosting;
using MyBi.Plugins.Hosting;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi plugins</c>: the connector plugins found, and folders that could not be used.</summary>
internal static class PluginsCommand
{
    public static Command Create()
    {
        var dir = new Option<string?>("--plugins-dir") { Description = "An extra folder to search first." };
        var command = new Command("plugins", "List the connector plugins found in the plugin folders.") { dir };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            _ =>
            {
                var catalog = PluginCatalog.Discover(PluginDirectories.Resolve(parse.GetValue(dir)));
                var rows = new List<object?[]>();
                foreach (var plugin in catalog.Plugins.OrderBy(p => p.Manifest.Id, StringComparer.Ordinal))
                {
                    // Listing runs no plugin code: the streams come from the schema files the manifest declares.
                    string streams;
                    try
                    {
                        streams = catalog.Describe(plugin.Manifest.Id) is { } described
                            ? string.Join(", ", described.Streams.Select(s => s.Name))
                            : "(not declared in plugin.json)";
                    }
                    catch (MyBiException ex)
                    {
                        streams = TerminalText.OneLine($"cannot read its schemas: {ex.Message}");
                    }

                    rows.Add([plugin.Manifest.Id, plugin.Manifest.Version, plugin.Directory, streams]);
                }

                TableFormatter.WriteTable(Console.Out, ["id", "version", "folder", "streams"], rows);
                foreach (var problem in catalog.Problems)
                {
                    Console.Out.WriteLine(TerminalText.OneLine($"skipped: {problem}"));
                }

                Console.Out.WriteLine($"searched: {string.Join(Path.PathSeparator, catalog.SearchedDirectories)}");
                return Task.FromResult(ExitCodes.Success);
            },
            ct));
        return command;
    }
}
