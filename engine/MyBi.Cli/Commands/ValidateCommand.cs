using System.CommandLine;
using MyBi.Cli.Hosting;

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
                var (loaded, errors) = LoadedPipeline.Load(parse.GetValue(pipeline)!);
                if (loaded is null)
                {
                    throw new InvalidPipelineException(errors);
                }

                redact(loaded.Redactor);
                Console.Out.WriteLine($"{parse.GetValue(pipeline)}: valid ({loaded.Connector.Name} -> {loaded.Definition.Destination.Type}, {(loaded.SelectedStreams.Count == 0 ? "all" : loaded.SelectedStreams.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} streams)");
                return Task.FromResult(ExitCodes.Success);
            },
            ct));
        return command;
    }
}
