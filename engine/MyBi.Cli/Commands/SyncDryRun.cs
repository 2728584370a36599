using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;
using MyBi.Cli.Output;
using MyBi.Engine.State;
using MyBi.Hosting;

namespace MyBi.Cli.Commands;

/// <summary>
/// <c>mybi sync PIPELINE --dry-run</c>: asks the connector what the read would cost (a few probe requests) and prints
/// requests per stream and the minutes they take at the source's configured rate. Nothing is created or loaded and no
/// run is recorded. Without <c>--from</c> the sync would continue from the pipeline's stored state, so the destination
/// is opened only to read that state (never to create or write anything) and the estimate is of that incremental read;
/// with no state, or when the destination cannot be opened, it is of a first load, and the output says which.
/// </summary>
internal static class SyncDryRun
{
    public static async Task<int> ExecuteAsync(SyncArguments arguments, TextWriter output, Action<Redactor> useRedactor, CancellationToken cancellationToken)
    {
        var (loaded, redactor) = CliPipeline.Load(arguments.PipelinePath, useRedactor);
        var job = loaded.CreateSyncJob(arguments.Streams, arguments.From, arguments.To);
        foreach (var transform in job.Transforms.Values)
        {
            transform.Dispose();
        }

        var from = job.From is { } day && job.Horizon?.Day is { } horizon && day < horizon ? horizon : job.From;
        // The sync reads with the stored state in a period too (clients, for one, go on from their cursor), so the
        // estimate does as well.
        var (state, stateNote) = await StoredStateAsync(loaded, job.Pipeline, firstLoad: from is null, redactor, cancellationToken).ConfigureAwait(false);
        var counter = new RequestCounter();
        var context = new SourceContext { Config = job.SourceConfig, BaseDirectory = job.BaseDirectory, TimeProvider = EngineClock.Current, Observer = counter };
        var session = await job.Connector.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        SourceEstimate estimate;
        await using (session.ConfigureAwait(false))
        {
            estimate = await session.EstimateAsync(
                new ReadRequest { Streams = job.Streams, State = state, From = from, To = job.To, Horizon = job.Horizon?.Day, Filters = job.Filters },
                cancellationToken).ConfigureAwait(false);
        }

        var period = from is { } start
            ? string.Create(CultureInfo.InvariantCulture, $"{start:yyyy-MM-dd} to {job.To:yyyy-MM-dd}")
            : state is not null ? "the incremental sync the stored state implies (no --from)" : "a first load (no --from)";
        output.WriteLine($"{job.Pipeline}: dry run of {period}; nothing was loaded.");
        output.WriteLine(stateNote);

        var rows = estimate.Streams
            .Select(s => new object?[] { s.Stream, s.Requests is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "unknown", s.Basis })
            .ToList();
        var known = estimate.Streams.Sum(s => s.Requests ?? 0);
        var unknown = estimate.Streams.Count(s => s.Requests is null);
        rows.Add(["total", known.ToString("N0", CultureInfo.InvariantCulture) + (unknown > 0 ? " + unknown" : ""), ""]);
        TableFormatter.WriteTable(output, ["stream", "requests", "basis"], rows);
        output.WriteLine(redactor.Line(Minutes(known, unknown, estimate.RequestsPerMinute)));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{estimate.ProbeRequests:N0} probe requests spent ({counter.Requests:N0} with the connection)."));
        return ExitCodes.Success;
    }

    /// <summary>
    /// The state the sync would continue from, read from the destination without creating or writing anything (a
    /// DuckDB file that does not exist stays absent), and a line that says where the estimate starts from.
    /// </summary>
    private static async Task<(JsonObject? State, string Note)> StoredStateAsync(LoadedPipeline loaded, string pipeline, bool firstLoad, Redactor redactor, CancellationToken cancellationToken)
    {
        var destination = loaded.CreateDestination();
        await using (destination.ConfigureAwait(false))
        {
            try
            {
                var state = await new RunStore(destination).LoadStateAsync(pipeline, cancellationToken).ConfigureAwait(false);
                return state is null
                    ? (null, redactor.Line($"No stored state in {destination.DisplayName} (read only){(firstLoad ? ": estimating a first load." : ".")}"))
                    : (state, redactor.Line($"Stored state read from {destination.DisplayName} (read only): estimating the read from its cursors and lookback."));
            }
            catch (MyBiException ex)
            {
                return (null, redactor.Line($"The destination could not be opened to read the stored state ({ex.Message}): estimating {(firstLoad ? "a first load" : "without it")}."));
            }
        }
    }

    private static string Minutes(long requests, int unknown, double? perMinute)
    {
        var more = unknown > 0 ? $", plus {unknown} stream(s) of unknown cost" : "";
        return perMinute is { } rate
            ? string.Create(CultureInfo.InvariantCulture, $"about {Math.Ceiling(requests / rate * 10) / 10:0.0} minutes at {rate:0.##} requests a minute{more}.")
            : $"no rate limit configured: minutes unknown{more}.";
    }

    /// <summary>Counts every request the connector sends, the connection's included.</summary>
    private sealed class RequestCounter : SourceObserver
    {
        private long _requests;

        public long Requests => Interlocked.Read(ref _requests);

        public override void OnRequest(string stream) => Interlocked.Increment(ref _requests);
    }
}
