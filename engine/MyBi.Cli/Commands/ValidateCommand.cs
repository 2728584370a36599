using System.CommandLine;
using MyBi.Hosting;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi validate PIPELINE</c>: every problem at once, nothing touched.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var pipeline = CommonOptions.Pipeline();
        var command = new Command("validate", "Check a pipeline file (schema, connector config, streams, filters) without running anything.") { pipeline };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            redact =>
            {
                // "Touches nothing" includes running no plugin code: the connector is checked against its schema files.
                var (loaded, redactor) = CliPipeline.Load(parse.GetValue(pipeline)!, redact, PluginLoading.SchemasOnly);
                if (loaded.Notice is { } notice)
                {
                    Console.Error.WriteLine(redactor.Line("warning: " + notice));
                }

                Console.Out.WriteLine($"{parse.GetValue(pipeline)}: valid ({loaded.ConnectorId} -> {loaded.Definition.Destination.Type}, {(loaded.SelectedStreams.Count == 0 ? "all" : loaded.SelectedStreams.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} streams)");
                return Task.FromResult(ExitCodes.Success);
            },
            ct));
        return command;
    }
}
