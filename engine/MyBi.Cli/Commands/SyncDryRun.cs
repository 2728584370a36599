using System.Globalization;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Streams;
using MyBi.Cli.Output;
using MyBi.Hosting;

namespace MyBi.Cli.Commands;

/// <summary>
/// <c>mybi sync PIPELINE --dry-run</c>: asks the connector what the read would cost (a few probe requests) and prints
/// requests per stream and the minutes they take at the source's configured rate. The destination is never opened:
/// nothing is created or loaded and no run is recorded, so without <c>--from</c> the estimate is of a first load.
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
        var counter = new RequestCounter();
        var context = new SourceContext { Config = job.SourceConfig, BaseDirectory = job.BaseDirectory, TimeProvider = EngineClock.Current, Observer = counter };
        var session = await job.Connector.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        SourceEstimate estimate;
        await using (session.ConfigureAwait(false))
        {
            estimate = await session.EstimateAsync(
                new ReadRequest { Streams = job.Streams, From = from, To = job.To, Horizon = job.Horizon?.Day, Filters = job.Filters },
                cancellationToken).ConfigureAwait(false);
        }

        var period = from is { } start
            ? string.Create(CultureInfo.InvariantCulture, $"{start:yyyy-MM-dd} to {job.To:yyyy-MM-dd}")
            : "a first load (no --from)";
        output.WriteLine($"{job.Pipeline}: dry run of {period}; nothing was loaded.");
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
