namespace MyBi.Server.Status;

/// <summary>
/// The status page's view of the scheduler: when each job of a pipeline fires next. Without a scheduler the page
/// shows no next run.
/// </summary>
internal interface IJobSchedule
{
    /// <summary>
    /// The scheduled jobs of <paramref name="pipeline"/>, keyed as runs are (<c>sync</c>, <c>report:NAME</c>,
    /// <c>reconcile</c>, <c>retention</c>), with the next fire time (null when the job has no further fire).
    /// </summary>
    IReadOnlyList<ScheduledJob> NextRuns(string pipeline);
}

/// <summary>One scheduled job: its key, its cron expression as written, and its next fire time.</summary>
internal sealed record ScheduledJob(string Job, string? Cron, DateTimeOffset? NextFire);
