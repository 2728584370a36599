using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Engine.Sources;
using MyBi.Engine.State;
using MyBi.Hosting;
using MyBi.Pipelines;
using Npgsql;
using Quartz;
using Quartz.Extensibility;

namespace MyBi.Server.Scheduling;

/// <summary>
/// Runs the pipelines' <c>schedule:</c> with Quartz: one job and cron trigger per scheduled job of each pipeline
/// (group: the pipeline). A missed fire runs once when the scheduler is back (fire and proceed); a fire that finds a
/// run of the same pipeline going is skipped and journalled; stopping cancels the runs, which record themselves as
/// cancelled after the batch in flight. With a PostgreSQL store, instances share the triggers: each fire is taken
/// by one of them, and a silent instance's triggers are taken over after the check-in interval. Fires follow the
/// system clock, read in the schedule's zone or else the source's; a pinned MYBI_NOW dates the runs, not the fires.
/// </summary>
internal sealed class SchedulerFeature : IServerFeature, Status.IJobSchedule
{
    private const string PipelineKey = "pipeline";
    private const string JobKindKey = "job";

    private readonly Dictionary<string, LoadedPipeline> _pipelines;
    private readonly SchedulerDefinition _store;
    private readonly ServerOptions _options;
    private readonly ScheduledStages _stages;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, TimeZoneInfo> _zones = new(StringComparer.Ordinal);
    private IScheduler? _scheduler;
    private IPipelineLocks? _locks;

    private SchedulerFeature(IReadOnlyList<LoadedPipeline> pipelines, SchedulerDefinition store, ServerOptions options)
    {
        _pipelines = pipelines.ToDictionary(p => p.Definition.Name, StringComparer.Ordinal);
        _store = store;
        _options = options;
        _stages = new ScheduledStages(options.TimeProvider);
    }

    /// <summary>The scheduler's id of this process (unique in a cluster), once started.</summary>
    public string? InstanceId => _scheduler?.SchedulerInstanceId;

    /// <summary>
    /// The feature for the pipelines that have a schedule, or null. The store is the one <c>scheduler:</c> block the
    /// pipelines agree on (in-memory without one); two different blocks are a configuration error.
    /// </summary>
    public static SchedulerFeature? For(IReadOnlyList<LoadedPipeline> pipelines, ServerOptions options)
    {
        var scheduled = pipelines.Where(p => p.Definition.Schedule is { Jobs.Count: > 0 }).ToList();
        if (scheduled.Count == 0)
        {
            return null;
        }

        return new SchedulerFeature(scheduled, StoreOf(pipelines), options);
    }

    private static SchedulerDefinition StoreOf(IReadOnlyList<LoadedPipeline> pipelines)
    {
        var blocks = pipelines.Where(p => p.Definition.Scheduler is not null).ToList();
        if (blocks.Count == 0)
        {
            return SchedulerDefinition.InMemory;
        }

        var first = blocks[0].Definition.Scheduler!;
        var other = blocks.FirstOrDefault(p => p.Definition.Scheduler is { } s && (s.Store != first.Store || s.Connection != first.Connection || s.CheckinInterval != first.CheckinInterval));
        return other is null
            ? first
            : throw MyBiException.Config($"Pipelines '{blocks[0].Definition.Name}' and '{other.Definition.Name}' name different scheduler: blocks; one serve process has one job store.");
    }

    public void Map(WebApplication app)
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clustered = _store.Store == SchedulerStore.Postgres;
        if (clustered)
        {
            var builder = new NpgsqlConnectionStringBuilder(_store.Connection) { Pooling = false };
            _locks = new PostgresPipelineLocks(NpgsqlDataSource.Create(builder.ConnectionString));
        }
        else
        {
            _locks = new ProcessPipelineLocks();
        }

        await ResolveZonesAsync(cancellationToken).ConfigureAwait(false);
        var factory = new FeatureJobFactory(this);
        try
        {
            _scheduler = await QuartzSchedulerBuilder.Create(quartz =>
            {
                quartz.ConfigureScheduler(scheduler => scheduler.InstanceName = "mybi");
                quartz.UseJobFactory(factory);

                quartz.UseDefaultThreadPool(Math.Max(4, _pipelines.Count));
                if (clustered)
                {
                    quartz.UsePersistentStore(store =>
                    {
                        store.UsePostgres(_store.Connection!);
                        store.ProvisionSchema();
                        store.UseClustering(cluster => cluster.CheckinInterval = _store.CheckinInterval);
                    });
                }
                else
                {
                    quartz.UseInMemoryStore();
                }
            }).BuildScheduler(cancellationToken).ConfigureAwait(false);

            await RegisterAsync(_scheduler, cancellationToken).ConfigureAwait(false);
            await _scheduler.Start(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SchedulerException or NpgsqlException or System.Data.Common.DbException)
        {
            throw MyBiException.Config($"The scheduler's job store could not be started: {ex.Message}");
        }

        _options.Log(string.Create(CultureInfo.InvariantCulture, $"scheduler: {_pipelines.Values.Sum(p => p.Definition.Schedule!.Jobs.Count)} job(s) of {_pipelines.Count} pipeline(s), {(clustered ? "shared PostgreSQL store" : "in-memory store")}, instance {_scheduler.SchedulerInstanceId}"));
        foreach (var (pipeline, job, next) in await NextFiresAsync(cancellationToken).ConfigureAwait(false))
        {
            _options.Log(string.Create(CultureInfo.InvariantCulture, $"scheduler: {pipeline}/{job} next fire {next:yyyy-MM-dd HH:mm:ss}Z"));
        }
    }

    /// <summary>The zone a pipeline's schedule follows: its own, else its source's as resolved at start, else UTC.</summary>
    private TimeZoneInfo ZoneOf(LoadedPipeline pipeline) =>
        pipeline.Definition.Schedule!.TimeZone is { } own ? TimeZoneInfo.FindSystemTimeZoneById(own)
        : _zones.TryGetValue(pipeline.Definition.Name, out var source) ? source
        : TimeZoneInfo.Utc;

    /// <summary>
    /// Asks the source of each pipeline without <c>schedule.timezone</c> for its accounts' zone, all at once and once
    /// per start. A source that cannot tell (or cannot be reached) leaves the schedule on UTC, which the log and the
    /// journal say; it never keeps the server from starting.
    /// </summary>
    private async Task ResolveZonesAsync(CancellationToken cancellationToken)
    {
        var pending = _pipelines.Values.Where(p => p.Definition.Schedule!.TimeZone is null).ToList();
        var zones = await Task.WhenAll(pending.Select(p => SourceZoneAsync(p, cancellationToken))).ConfigureAwait(false);
        for (var i = 0; i < pending.Count; i++)
        {
            var name = pending[i].Definition.Name;
            if (zones[i].Zone is { } zone)
            {
                _zones[name] = zone;
                _options.Log($"scheduler: {name} follows the source's time zone {zone.Id}");
                continue;
            }

            var message = $"schedule runs in UTC: {zones[i].Why}; set schedule.timezone to choose the zone";
            _options.Log($"scheduler: {name}: {message}");
            await JournalFallbackAsync(pending[i], message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(TimeZoneInfo? Zone, string Why)> SourceZoneAsync(LoadedPipeline pipeline, CancellationToken cancellationToken)
    {
        // Bounded: a source that hangs delays the start by this much at most.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            var context = new SourceContext
            {
                Config = pipeline.Definition.Source.Config,
                BaseDirectory = pipeline.Definition.BaseDirectory,
                TimeProvider = _options.TimeProvider,
                RateBudgets = ProcessRateBudgets.Shared,
            };
            var session = await pipeline.Connector.ConnectAsync(context, timeout.Token).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                var id = await session.TimeZoneAsync(timeout.Token).ConfigureAwait(false);
                if (id is null)
                {
                    return (null, "the source names no single time zone for its accounts");
                }

                return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
                    ? (zone, "")
                    : (null, $"the source's time zone '{id}' is unknown on this machine");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, "the source did not say its time zone within 30 seconds");
        }
#pragma warning disable CA1031 // Whatever the source does, the schedule falls back to UTC and the server starts.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return (null, $"the source's time zone could not be read: {pipeline.Redactor.Apply(ex.Message)}");
        }
    }

    private async Task JournalFallbackAsync(LoadedPipeline pipeline, string message, CancellationToken cancellationToken)
    {
        try
        {
            await using var destination = pipeline.CreateDestination();
            await destination.CheckAsync(cancellationToken).ConfigureAwait(false);
            var details = new JsonObject { ["timezone"] = "UTC" };
            await JournalAsync(new RunStore(destination, pipeline.Redactor), pipeline.Definition.Name, JournalKinds.Schedule, JournalLevel.Warning, message, details, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The warning is in the log already; a destination that is down fails the runs, not the start.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            _options.Log($"scheduler: {pipeline.Definition.Name}: the UTC fallback could not be journalled: {pipeline.Redactor.Apply(ex.Message)}");
        }
    }

    /// <summary>
    /// Stores a job and trigger per scheduled job. A trigger already stored with the same expression and zone is kept
    /// as it is, so its next fire time survives a restart and a fire missed while every instance was down runs once.
    /// </summary>
    private async Task RegisterAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        foreach (var pipeline in _pipelines.Values)
        {
            var schedule = pipeline.Definition.Schedule!;
            var zone = ZoneOf(pipeline);
            var wanted = schedule.Jobs.Select(j => j.Job).ToHashSet(StringComparer.Ordinal);
            foreach (var stale in (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(pipeline.Definition.Name), cancellationToken).ConfigureAwait(false)).Where(k => !wanted.Contains(k.Name)))
            {
                await scheduler.DeleteJob(stale, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (job, cron) in schedule.Jobs)
            {
                var triggerKey = new TriggerKey(job, pipeline.Definition.Name);
                if (await scheduler.GetTrigger(triggerKey, cancellationToken).ConfigureAwait(false) is ICronTrigger existing
                    && existing.CronExpressionString == cron.QuartzExpression
                    && existing.TimeZone.Id == zone.Id)
                {
                    continue;
                }

                var detail = JobBuilder.Create<ScheduledJob>()
                    .WithIdentity(job, pipeline.Definition.Name)
                    .UsingJobData(PipelineKey, pipeline.Definition.Name)
                    .UsingJobData(JobKindKey, job)
                    .Build();
                var trigger = TriggerBuilder.Create()
                    .WithIdentity(triggerKey)
                    .ForJob(detail)
                    .WithSchedule(CronScheduleBuilder.Create(cron.QuartzExpression).InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                    .Build();
                await scheduler.ScheduleJob(detail, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Each scheduled job's next fire (null once stopped or never), for pages that show the schedule.</summary>
    internal async Task<IReadOnlyList<(string Pipeline, string Job, DateTimeOffset? Next)>> NextFiresAsync(CancellationToken cancellationToken)
    {
        var fires = new List<(string, string, DateTimeOffset?)>();
        foreach (var pipeline in _pipelines.Values)
        {
            foreach (var (job, _) in pipeline.Definition.Schedule!.Jobs)
            {
                var trigger = _scheduler is null ? null : await _scheduler.GetTrigger(new TriggerKey(job, pipeline.Definition.Name), cancellationToken).ConfigureAwait(false);
                fires.Add((pipeline.Definition.Name, job, trigger?.NextFireTimeUtc));
            }
        }

        return fires;
    }

    /// <summary>
    /// The next fire of each job of <paramref name="pipeline"/> worked out from its expression and zone, so the status
    /// page asks no job store; a shared store fires the same times, on whichever instance takes them.
    /// </summary>
    public IReadOnlyList<Status.ScheduledJob> NextRuns(string pipeline)
    {
        if (!_pipelines.TryGetValue(pipeline, out var loaded))
        {
            return [];
        }

        var schedule = loaded.Definition.Schedule!;
        var zone = ZoneOf(loaded);
        // Quartz fires by the system clock, whatever clock dates the runs.
        var now = TimeProvider.System.GetUtcNow();
        return [.. schedule.Jobs.Select(j => new Status.ScheduledJob(j.Job, j.Cron.Text, NextFire(j.Cron, zone, now)))];
    }

    private static DateTimeOffset? NextFire(CronSchedule cron, TimeZoneInfo zone, DateTimeOffset now) =>
        TriggerBuilder.Create().StartAt(now).WithSchedule(CronScheduleBuilder.Create(cron.QuartzExpression).InTimeZone(zone)).Build().GetFireTimeAfter(now);

    /// <summary>The locks fires take (null until started), so a caller can hold one as a run elsewhere would.</summary>
    internal IPipelineLocks? Locks => _locks;

    /// <summary>Fires a job at once, outside its schedule, through the same path as its trigger.</summary>
    internal async Task FireNowAsync(string pipeline, string job, CancellationToken cancellationToken)
    {
        var scheduler = _scheduler ?? throw new InvalidOperationException("The scheduler is not started.");
        await scheduler.TriggerJob(new JobKey(job, pipeline), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One fire: skipped when the pipeline is running, else journalled with its instance, then run.</summary>
    internal async Task FireAsync(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var name = context.MergedJobDataMap.GetString(PipelineKey) ?? context.JobDetail.Key.Group;
        var job = context.MergedJobDataMap.GetString(JobKindKey) ?? context.JobDetail.Key.Name;
        if (!_pipelines.TryGetValue(name, out var pipeline))
        {
            // Every instance on one store must serve the same pipelines; this one was not given the file.
            _options.Log($"scheduler: {name}/{job} fired on an instance that does not serve pipeline '{name}'; serve the same pipeline files on every instance.");
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var token = linked.Token;
        var details = new JsonObject
        {
            ["job"] = job,
            ["scheduled_at"] = context.ScheduledFireTimeUtc?.ToString("O", CultureInfo.InvariantCulture),
            ["fired_at"] = context.FireTimeUtc.ToString("O", CultureInfo.InvariantCulture),
            ["instance"] = context.Scheduler.SchedulerInstanceId,
        };
        try
        {
            await using var destination = pipeline.CreateDestination();
            await destination.CheckAsync(token).ConfigureAwait(false);
            var store = new RunStore(destination, pipeline.Redactor);
            var held = await _locks!.TryAcquireAsync(name, token).ConfigureAwait(false);
            if (held is null)
            {
                details["outcome"] = "skipped";
                await JournalAsync(store, name, job, JournalLevel.Warning, $"{job} fire skipped: a run of pipeline '{name}' is still going; the next fire runs as scheduled", details, token).ConfigureAwait(false);
                _options.Log($"scheduler: {name}/{job} skipped, the pipeline is running");
                return;
            }

            await using (held.ConfigureAwait(false))
            {
                details["outcome"] = "started";
                await JournalAsync(store, name, job, JournalLevel.Info, $"{job} fired on {context.Scheduler.SchedulerInstanceId}", details, token).ConfigureAwait(false);
                _options.Log($"scheduler: {name}/{job} started");
                var status = await _stages.RunAsync(pipeline, job, destination, token).ConfigureAwait(false);
                _options.Log($"scheduler: {name}/{job} {status.ToText()}");
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The run recorded itself as cancelled; the process is stopping.
            _options.Log($"scheduler: {name}/{job} cancelled");
        }
#pragma warning disable CA1031 // One failing run must not stop the schedule; the run recorded its failure in the journal.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _options.Log($"scheduler: {name}/{job} failed: {pipeline.Redactor.Apply(ex.Message)}");
        }
    }

    private async Task JournalAsync(RunStore store, string pipeline, string job, JournalLevel level, string message, JsonObject details, CancellationToken cancellationToken) =>
        await store.AppendJournalAsync(
            [new JournalEntry { Time = _options.TimeProvider.GetUtcNow(), Pipeline = pipeline, Job = job, Kind = JournalKinds.Schedule, Level = level, Message = message, Details = details }],
            cancellationToken).ConfigureAwait(false);

    public async Task StopAsync()
    {
        // Runs see the cancellation at their next batch boundary, commit what they wrote and record themselves cancelled.
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_scheduler is not null)
        {
            await _scheduler.Shutdown(waitForJobsToComplete: true).ConfigureAwait(false);
        }

        if (_locks is not null)
        {
            await _locks.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Quartz's job type; the feature does the work.</summary>
    internal sealed class ScheduledJob(SchedulerFeature feature) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
            await feature.FireAsync(context, cancellationToken).ConfigureAwait(false);
    }

    private sealed class FeatureJobFactory(SchedulerFeature feature) : IJobFactory
    {
        public ValueTask<JobScope> CreateJob(TriggerFiredBundle bundle, IScheduler scheduler, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new JobScope(new ScheduledJob(feature), null));

        public ValueTask ReturnJob(JobScope scope, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
