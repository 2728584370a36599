using System.CommandLine;
using System.Text.Json;
using MyBi.Cli.Output;
using MyBi.Engine.State;
using MyBi.Hosting;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi status PIPELINE</c>: cursors, last runs and rows spent this month.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var pipeline = CommonOptions.Pipeline();
        var command = new Command("status", "Show a pipeline's cursors, last runs and rows written this month.") { pipeline };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            async redact =>
            {
                var (loaded, redactor) = CliPipeline.Load(parse.GetValue(pipeline)!, redact, credentials: SourceCredentials.NotNeeded);
                var definition = loaded.Definition;
                await using var destination = loaded.CreateDestination();
                await destination.CheckAsync(ct).ConfigureAwait(false);
                var store = new RunStore(destination);
                var state = await store.LoadStateAsync(definition.Name, ct).ConfigureAwait(false);
                var runs = await store.LoadRunsAsync(definition.Name, ct).ConfigureAwait(false);
                var now = EngineClock.Current.GetUtcNow();
                var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
                var spent = await store.RowsWrittenSinceAsync(definition.Name, monthStart, ct).ConfigureAwait(false);

                Console.Out.WriteLine($"pipeline {definition.Name} -> {destination.DisplayName}");
                var quota = definition.Plan?.RowsPerMonth is long q ? $" of {q:N0}" : "";
                Console.Out.WriteLine($"rows written in {monthStart:yyyy-MM}: {spent:N0}{quota}");
                Console.Out.WriteLine("cursors:");
                Console.Out.WriteLine(state is null ? "  (none yet: the first run loads the most recent days)" : state.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                Console.Out.WriteLine("last runs:");
                TableFormatter.WriteTable(
                    Console.Out,
                    ["run", "status", "started", "finished", "rows", "message"],
                    runs.Take(10).Select(r => new object?[] { r.RunId[..8], r.Status.ToText(), r.StartedAt, r.FinishedAt, r.RowsWritten, r.Message is null ? null : redactor.Line(r.Message) }).ToList());
                return ExitCodes.Success;
            },
            ct));
        return command;
    }
}
