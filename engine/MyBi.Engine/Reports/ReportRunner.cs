using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Reports;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Running;
using MyBi.Engine.State;

namespace MyBi.Engine.Reports;

/// <summary>
/// Runs a report job: exports a period, keeps the selected fields, writes them (as JSON, as a typed table, or
/// through rules), then removes the period's rows that the source no longer has, so a reload never duplicates.
/// </summary>
public sealed class ReportRunner
{
    private readonly TimeProvider _timeProvider;
    private readonly RunObserver _observer;

    /// <summary>Creates a runner.</summary>
    public ReportRunner(TimeProvider? timeProvider = null, RunObserver? observer = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _observer = observer ?? RunObserver.None;
    }

    /// <summary>The period a run loads: the one asked, or from the last run's end minus the lookback up to today.</summary>
    public static (DateOnly From, DateOnly To) Period(ReportJob job, JsonObject? state, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(job);
        var (from, to) = Unclipped(job, state, today);
        if (job.Horizon is not { } horizon)
        {
            return (from, to);
        }

        if (to < horizon.Day)
        {
            throw MyBiException.Config($"The period ends ({to:yyyy-MM-dd}) before the retention horizon ({horizon}): those rows are deleted by retention and are not loaded again.");
        }

        return (horizon.Clip(from), to);
    }

    private static (DateOnly From, DateOnly To) Unclipped(ReportJob job, JsonObject? state, DateOnly today)
    {
        if (job.From is DateOnly from)
        {
            return (from, job.To ?? today);
        }

        var lastTo = state?["last_to"]?.GetValue<string>() is string text ? DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : today;
        var start = lastTo.AddDays(-job.LookbackDays);
        return (start > today ? today : start, job.To ?? today);
    }

    /// <summary>Runs the job; failures throw after the run is recorded. The job's transform is disposed.</summary>
    public async Task<RunResult> RunAsync(ReportJob job, Destination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(destination);
        try
        {
            return await RunCoreAsync(job, destination, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            job.Transform?.Dispose();
        }
    }

    private async Task<RunResult> RunCoreAsync(ReportJob job, Destination destination, CancellationToken cancellationToken)
    {
        var spec = new RunSpec { Pipeline = job.Pipeline, Kind = $"report:{job.Name}", Plan = job.Plan, Redactor = job.Redactor, TimeProvider = _timeProvider, Observer = _observer };
        var run = await EngineRun.OpenAsync(destination, spec, cancellationToken).ConfigureAwait(false);
        var stateKey = $"{job.Pipeline}/report/{job.Name}";
        var state = await run.Store.LoadStateAsync(stateKey, cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        var (from, to) = Period(job, state, DateOnly.FromDateTime(now.UtcDateTime));
        await run.CheckPlanAsync(from, to, cancellationToken).ConfigureAwait(false);

        var writer = ReportWriter.Create(job, destination, run.RunId, now);
        var owner = job.Transform is not null ? TableOwner.Rule(job.Pipeline, "report", job.Name)
            : job.FixStructure ? TableOwner.Report(job.Pipeline, job.Name)
            : TableOwner.SharedReports;
        await run.StartAsync(writer.Tables.Select(t => (t, owner)).ToList(), cancellationToken).ConfigureAwait(false);
        return await run.ExecuteAsync(
            async ct =>
            {
                var context = new SourceContext { Config = job.SourceConfig, BaseDirectory = job.BaseDirectory, TimeProvider = _timeProvider, Observer = _observer, RateBudgets = Sources.ProcessRateBudgets.Shared };
                await using (var session = await job.Connector.ConnectAsync(context, ct).ConfigureAwait(false))
                {
                    var request = new ReportRequest { ReportType = job.Report.Descriptor.Name, From = from, To = to };
                    var pending = new List<JsonObject>(job.BatchSize);
                    await foreach (var message in session.ReadReportAsync(request, ct).ConfigureAwait(false))
                    {
                        if (message is SourceWarning warning)
                        {
                            run.Warn(warning.Message);
                        }
                        else if (message is SourceRecord record)
                        {
                            pending.Add(record.Data);
                            if (pending.Count >= job.BatchSize && !await WriteAsync(writer, pending, run.Writer, ct).ConfigureAwait(false))
                            {
                                return null;
                            }
                        }
                    }

                    // Stopped by the quota, the period was not fully rewritten: nothing may be removed as stale.
                    if (!await WriteAsync(writer, pending, run.Writer, ct).ConfigureAwait(false))
                    {
                        return null;
                    }
                }

                await writer.RemoveStaleAsync(from, to, ct).ConfigureAwait(false);
                await run.CheckpointAsync(stateKey, new JsonObject { ["last_to"] = to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, ct).ConfigureAwait(false);
                return run.Writer.Quarantined > 0 ? $"{run.Writer.Quarantined} rows quarantined in {EngineTables.Quarantine.Name}" : null;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<bool> WriteAsync(ReportWriter writer, List<JsonObject> pending, BatchWriter batches, CancellationToken cancellationToken)
    {
        var written = await writer.WriteAsync(pending, batches, cancellationToken).ConfigureAwait(false);
        pending.Clear();
        return written;
    }
}
