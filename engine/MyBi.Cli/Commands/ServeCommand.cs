using System.CommandLine;
using MyBi.Cli.Output;
using MyBi.Hosting;
using MyBi.Server;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi serve PIPELINE... [--listen 127.0.0.1:8080]</c>: receives webhooks and runs schedules until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var pipelines = new Argument<string[]>("pipeline") { Description = "Pipeline files whose webhooks to receive and schedules to run.", Arity = ArgumentArity.OneOrMore };
        var listen = new Option<string>("--listen") { Description = "HOST:PORT to listen on.", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var command = new Command("serve", "Receive webhooks (commit each event, then apply it to the pipeline's tables) and run the pipelines' schedule: jobs.") { pipelines, listen };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            async useRedactor =>
            {
                var loaded = new List<LoadedPipeline>();
                var redactors = new List<Redactor>();
                foreach (var path in parse.GetValue(pipelines)!)
                {
                    var (pipeline, redactor) = CliPipeline.Load(path, _ => { });
                    loaded.Add(pipeline);
                    redactors.Add(redactor);
                }

                var all = new Redactor(new Engine.State.SecretRedactor(loaded.SelectMany(p => p.SecretValues)));
                useRedactor(all);
                var options = new ServerOptions
                {
                    Listen = ServerOptions.ParseListen(parse.GetValue(listen)!),
                    TimeProvider = EngineClock.Current,
                    Log = line => Console.Error.WriteLine(all.Line(line)),
                };
                await using (var server = await MyBiServer.StartAsync(loaded, Environment.GetEnvironmentVariable, options, ct).ConfigureAwait(false))
                {
                    Console.Out.WriteLine($"listening on {server.Address}");
                    foreach (var pipeline in loaded)
                    {
                        if (pipeline.Connector.SupportsWebhooks)
                        {
                            Console.Out.WriteLine($"  {pipeline.Definition.Name}: POST /hooks/{pipeline.Definition.Name}/<secret> (mybi hooks url shows the full URL)");
                        }

                        foreach (var (job, cron) in pipeline.Definition.Schedule?.Jobs ?? [])
                        {
                            Console.Out.WriteLine($"  {pipeline.Definition.Name}: {job} at \"{cron.Text}\" ({pipeline.Definition.Schedule!.TimeZone ?? "UTC"})");
                        }
                    }

                    try
                    {
                        await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        Console.Out.WriteLine("stopping: events received so far are committed; running jobs stop after their current batch.");
                    }
                }

                return ExitCodes.Success;
            },
            CancellationToken.None));
        return command;
    }
}
