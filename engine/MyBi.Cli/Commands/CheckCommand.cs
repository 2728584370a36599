using System.CommandLine;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Hosting;

namespace MyBi.Cli.Commands;

/// <summary>
/// <c>mybi check PIPELINE</c>: connects to the source (the connector's own session start: the login and one request
/// per company), asks it whether the user may read the pipeline's streams in each company (a few cheap requests,
/// no data), connects to the destination, says what works and loads nothing.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var pipeline = CommonOptions.Pipeline();
        var command = new Command("check", "Check that the pipeline's source and destination accept the connection, without loading anything.") { pipeline };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            async redact =>
            {
                var (loaded, redactor) = CliPipeline.Load(parse.GetValue(pipeline)!, redact);
                var failed = false;
                try
                {
                    var context = new SourceContext { Config = loaded.Definition.Source.Config, BaseDirectory = loaded.Definition.BaseDirectory, TimeProvider = EngineClock.Current };
                    var session = await loaded.Connector.ConnectAsync(context, ct).ConfigureAwait(false);
                    IReadOnlyList<SourceCheck> checks;
                    await using (session.ConfigureAwait(false))
                    {
                        checks = await session.CheckAsync(loaded.SelectedStreams, ct).ConfigureAwait(false);
                    }

                    Console.Out.WriteLine($"ok      source {loaded.ConnectorId}: connected");
                    foreach (var check in checks)
                    {
                        failed |= !check.Works;
                        Console.Out.WriteLine(redactor.Line($"{(check.Works ? "ok      " : "FAILED  ")}  {check.Subject}: {check.Message}"));
                    }
                }
                catch (MyBiException ex)
                {
                    failed = true;
                    Console.Out.WriteLine(redactor.Line($"FAILED  source {loaded.ConnectorId}: {ex.Message}"));
                }

                await using var destination = loaded.CreateDestination();
                try
                {
                    await destination.CheckAsync(ct).ConfigureAwait(false);
                    Console.Out.WriteLine($"ok      destination {destination.DisplayName}: connected");
                }
                catch (MyBiException ex)
                {
                    failed = true;
                    Console.Out.WriteLine(redactor.Line($"FAILED  destination {destination.DisplayName}: {ex.Message}"));
                }

                Console.Out.WriteLine(failed ? "some checks failed; nothing was loaded." : "all checks passed; nothing was loaded.");
                return failed ? ExitCodes.RunFailed : ExitCodes.Success;
            },
            ct));
        return command;
    }
}
