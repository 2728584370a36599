using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Engine.Reports;
using MyBi.Engine.Retention;
using MyBi.Engine.Running;
using MyBi.Engine.State;
using MyBi.Hosting;

namespace MyBi.Server.Scheduling;

/// <summary>
/// Runs the reconciliation stage of a pipeline into its destination and returns how the run ended. The scheduler calls
/// the stage only through this delegate (given in <see cref="ServerOptions.Reconcile"/>), so the stage is wired in one place.
/// </summary>
public delegate Task<RunStatus> ReconcileStage(LoadedPipeline pipeline, Destination destination, TimeProvider timeProvider, CancellationToken cancellationToken);

/// <summary>
/// What a scheduled job runs: the same runners as the CLI commands (<c>sync</c>, <c>reports run</c>,
/// <c>retention</c>, <c>reconcile</c>) on the pipeline's own destination, each recording its run and journal as there.
/// </summary>
internal sealed class ScheduledStages(TimeProvider timeProvider, ReconcileStage? reconcile)
{
    public const string Sync = "sync";
    public const string Retention = "retention";
    public const string Reconcile = "reconcile";
    public const string ReportPrefix = "report:";

    /// <summary>Whether this build can run the job kind (reconciliation needs its stage).</summary>
    public bool CanRun(string job) => job != Reconcile || reconcile is not null;

    public async Task<RunStatus> RunAsync(LoadedPipeline pipeline, string job, Destination destination, CancellationToken cancellationToken)
    {
        switch (job)
        {
            case Sync:
                var sync = pipeline.CreateSyncJob();
                try
                {
                    return (await new PipelineRunner(timeProvider).RunAsync(sync, destination, cancellationToken).ConfigureAwait(false)).Status;
                }
                finally
                {
                    foreach (var transform in sync.Transforms.Values)
                    {
                        transform.Dispose();
                    }
                }

            case Retention:
                return (await new RetentionRunner(timeProvider).RunAsync(pipeline.CreateRetentionJob(dryRun: false), destination, cancellationToken).ConfigureAwait(false)).Status;
            case Reconcile:
                var stage = reconcile ?? throw MyBiException.Config($"Pipeline '{pipeline.Definition.Name}' schedules reconcile, which this program cannot run.");
                return await stage(pipeline, destination, timeProvider, cancellationToken).ConfigureAwait(false);
            default:
                if (!job.StartsWith(ReportPrefix, StringComparison.Ordinal))
                {
                    throw new ArgumentOutOfRangeException(nameof(job), job, "not a scheduled job kind");
                }

                var report = pipeline.CreateReportJob(job[ReportPrefix.Length..]);
                return (await new ReportRunner(timeProvider).RunAsync(report, destination, cancellationToken).ConfigureAwait(false)).Status;
        }
    }
}
