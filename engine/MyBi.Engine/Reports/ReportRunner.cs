using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Reports;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Normalization;
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
        if (job.From is DateOnly from)
        {
            return (from, job.To ?? today);
        }

        var lastTo = state?["last_to"]?.GetValue<string>() is string text ? DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : today;
        var start = lastTo.AddDays(-job.LookbackDays);
        return (start > today ? today : start, job.To ?? today);
    }

    /// <summary>Runs the job; failures throw after the run is recorded.</summary>
    public async Task<RunResult> RunAsync(ReportJob job, Destination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(destination);
        await destination.CheckAsync(cancellationToken).ConfigureAwait(false);
        var store = new RunStore(destination, job.Redactor);
        await store.EnsureAsync(cancellationToken).ConfigureAwait(false);

        var stateKey = $"{job.Pipeline}/report/{job.Name}";
        var state = await store.LoadStateAsync(stateKey, cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        var (from, to) = Period(job, state, DateOnly.FromDateTime(now.UtcDateTime));
        await PlanGuard.CreateAsync(job.Pipeline, from, to, job.Plan, store, now, cancellationToken).ConfigureAwait(false);

        var writer = ReportWriter.Create(job, destination, now);
        var owner = job.Transform is not null ? TableOwner.Rule(job.Pipeline, "report", job.Name)
            : job.FixStructure ? TableOwner.Report(job.Pipeline, job.Name)
            : TableOwner.SharedReports;
        try
        {
            await store.ClaimTablesAsync(writer.Tables.Select(t => (t.Name, owner)).ToList(), now, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        foreach (var table in writer.Tables)
        {
            await destination.EnsureTableAsync(table, cancellationToken).ConfigureAwait(false);
        }

        var run = new RunRecord { RunId = writer.RunId, Pipeline = job.Pipeline, Kind = $"report:{job.Name}", Status = "running", StartedAt = now, PeriodFrom = from, PeriodTo = to };
        await store.SaveRunAsync(run, cancellationToken).ConfigureAwait(false);
        try
        {
            var context = new SourceContext { Config = job.SourceConfig, BaseDirectory = job.BaseDirectory, TimeProvider = _timeProvider, Observer = _observer, RateBudgets = Sources.ProcessRateBudgets.Shared };
            await using (var session = await job.Connector.ConnectAsync(context, cancellationToken).ConfigureAwait(false))
            {
                var request = new ReportRequest { ReportType = job.Report.Descriptor.Name, From = from, To = to };
                var pending = new List<JsonObject>(job.BatchSize);
                await foreach (var message in session.ReadReportAsync(request, cancellationToken).ConfigureAwait(false))
                {
                    if (message is SourceWarning warning)
                    {
                        _observer.OnWarning(warning.Message);
                    }
                    else if (message is SourceRecord record)
                    {
                        pending.Add(record.Data);
                        if (pending.Count >= job.BatchSize)
                        {
                            await writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
                            pending.Clear();
                        }
                    }
                }

                await writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
            }

            await writer.RemoveStaleAsync(from, to, cancellationToken).ConfigureAwait(false);
            await store.SaveStateAsync(stateKey, new JsonObject { ["last_to"] = to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, run.RunId, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            var note = writer.QuarantinedRows > 0 ? $"{writer.QuarantinedRows} rows quarantined in {EngineTables.Quarantine.Name}" : null;
            await store.FinishAsync(run, "succeeded", note, writer.Written, _timeProvider.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            return new RunResult
            {
                RunId = run.RunId,
                Status = "succeeded",
                RowsByTable = new Dictionary<string, long>(writer.Written),
                TimeByTable = new Dictionary<string, TimeSpan>(),
                Warnings = [],
                Message = note,
            };
        }
        catch (Exception ex)
        {
            await store.TryFinishAsync(run, ex, writer.Written, _timeProvider.GetUtcNow()).ConfigureAwait(false);
            throw;
        }
        finally
        {
            writer.Dispose();
        }
    }
}
