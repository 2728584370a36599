using MyBi.Abstractions.Destinations;
using MyBi.Engine.Reconciliation;
using MyBi.Engine.Reports;
using MyBi.Engine.Retention;
using MyBi.Engine.Running;
using MyBi.Engine.State;
using MyBi.Hosting;

namespace MyBi.Server.Scheduling;

/// <summary>
/// What a scheduled job runs: the same runners as the CLI commands (<c>sync</c>, <c>reports run</c>,
/// <c>retention</c>, <c>reconcile</c>) on the pipeline's own destination, each recording its run and journal as there.
/// </summary>
internal sealed class ScheduledStages(TimeProvider timeProvider)
{
    public const string Sync = "sync";
    public const string Retention = "retention";
    public const string Reconcile = "reconcile";
    public const string ReportPrefix = "report:";

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
                var reconcile = pipeline.CreateReconcileJob(from: null, to: null, dryRun: false);
                try
                {
                    return (await new ReconcileRunner(timeProvider).RunAsync(reconcile, destination, cancellationToken).ConfigureAwait(false)).Status;
                }
                finally
                {
                    foreach (var transform in reconcile.Sync.Transforms.Values)
                    {
                        transform.Dispose();
                    }
                }

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
