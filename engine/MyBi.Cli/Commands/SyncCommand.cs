using System.CommandLine;
using System.Globalization;
using MyBi.Cli.Hosting;
using MyBi.Cli.Output;
using MyBi.Engine.Running;
using MyBi.Engine.State;
using MyBi.Hosting;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi sync PIPELINE [--from DATE] [--to DATE] [--streams a,b] [--dry-run]</c>.</summary>
internal static class SyncCommand
{
    public static Command Create()
    {
        var pipeline = CommonOptions.Pipeline();
        var from = CommonOptions.Date("--from", "First day of a historical period to load (YYYY-MM-DD). Without it the run continues incrementally.");
        var to = CommonOptions.Date("--to", "Last day (inclusive) of the period; defaults to today.");
        var streams = new Option<string?>("--streams") { Description = "Comma-separated streams to load this time (a subset of the pipeline's)." };
        var wait = new Option<int>("--wait")
        {
            Description = "Seconds to wait for a DuckDB file another process holds (a BI tool, another run) before giving up with exit code 1.",
            DefaultValueFactory = _ => 60,
        };
        wait.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError($"--wait takes a number of seconds, 0 or more, not {result.GetValueOrDefault<int>()}.");
            }
        });
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Estimate the requests and minutes at the source's rate limit (a few probe requests), per stream, and load nothing.",
        };
        var command = new Command("sync", "Load data from the pipeline's source into its destination.") { pipeline, from, to, streams, wait, dryRun };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            redact =>
            {
                var arguments = new SyncArguments(parse.GetValue(pipeline)!, parse.GetValue(from), parse.GetValue(to), Split(parse.GetValue(streams))) { Wait = TimeSpan.FromSeconds(parse.GetValue(wait)) };
                return parse.GetValue(dryRun)
                    ? SyncDryRun.ExecuteAsync(arguments, Console.Out, redact, ct)
                    : ExecuteAsync(arguments, Console.Out, redact, ct);
            },
            ct));
        return command;
    }

    public static async Task<int> ExecuteAsync(SyncArguments arguments, TextWriter output, Action<Redactor> useRedactor, CancellationToken cancellationToken)
    {
        var (loaded, redactor) = CliPipeline.Load(arguments.PipelinePath, useRedactor);
        var job = loaded.CreateSyncJob(arguments.Streams, arguments.From, arguments.To);
        await using var destination = loaded.CreateDestination();
        await DestinationLock.WaitAsync(destination, arguments.Wait, Console.Error, cancellationToken).ConfigureAwait(false);
        var progress = TerminalProgress.ForConsole(EngineClock.Current, redactor);
        var runner = new PipelineRunner(EngineClock.Current, progress);
        RunResult result;
        try
        {
            result = await runner.RunAsync(job, destination, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            progress.Finish();
            foreach (var transform in job.Transforms.Values)
            {
                transform.Dispose();
            }
        }

        WriteSummary(output, job.Pipeline, destination.DisplayName, result, progress.Requests, redactor);
        if (result.Message is not null)
        {
            await Console.Error.WriteLineAsync(redactor.Line(result.Message)).ConfigureAwait(false);
        }

        return result.Status == RunStatus.Succeeded ? ExitCodes.Success : ExitCodes.RunFailed;
    }

    private static void WriteSummary(TextWriter output, string pipeline, string destination, RunResult result, long requests, Redactor redactor)
    {
        output.WriteLine($"{pipeline} -> {destination}: {result.Status.ToText()}, run {result.RunId}");
        var rows = result.RowsByTable.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new object?[] { kv.Key, kv.Value, Math.Round(result.TimeByTable.GetValueOrDefault(kv.Key).TotalSeconds, 1) })
            .ToList();
        rows.Add(["total", result.TotalRows, ""]);
        TableFormatter.WriteTable(output, ["table", "rows", "seconds"], rows);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{requests:N0} API requests"));
        foreach (var warning in result.Warnings)
        {
            output.WriteLine(redactor.Line($"warning: {warning}"));
        }
    }

    private static IReadOnlyList<string>? Split(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>What <c>sync</c> was asked to do.</summary>
internal sealed record SyncArguments(string PipelinePath, DateOnly? From, DateOnly? To, IReadOnlyList<string>? Streams)
{
    /// <summary>How long to wait for a destination file another process holds.</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(60);
}
