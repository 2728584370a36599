namespace MyBi.Pipelines;

/// <summary>The <c>schedule</c> block: when <c>mybi serve</c> runs each of the pipeline's jobs.</summary>
public sealed class ScheduleDefinition
{
    internal ScheduleDefinition(CronSchedule? sync, IReadOnlyDictionary<string, CronSchedule> reports, CronSchedule? reconcile, CronSchedule? retention, string? timeZone)
    {
        Sync = sync;
        Reports = reports;
        Reconcile = reconcile;
        Retention = retention;
        TimeZone = timeZone;
    }

    /// <summary>When the sync runs, or <see langword="null"/>.</summary>
    public CronSchedule? Sync { get; }

    /// <summary>When each report job runs, by report name.</summary>
    public IReadOnlyDictionary<string, CronSchedule> Reports { get; }

    /// <summary>When the reconciliation runs, or <see langword="null"/>.</summary>
    public CronSchedule? Reconcile { get; }

    /// <summary>When retention runs, or <see langword="null"/>.</summary>
    public CronSchedule? Retention { get; }

    /// <summary>The IANA time zone the expressions are read in, or <see langword="null"/> for the default.</summary>
    public string? TimeZone { get; }

    /// <summary>Every scheduled job: <c>sync</c>, <c>report:NAME</c>, <c>reconcile</c>, <c>retention</c>, with its expression.</summary>
    public IReadOnlyList<(string Job, CronSchedule Cron)> Jobs
    {
        get
        {
            var jobs = new List<(string, CronSchedule)>();
            if (Sync is not null)
            {
                jobs.Add(("sync", Sync));
            }

            jobs.AddRange(Reports.Select(r => ("report:" + r.Key, r.Value)));
            if (Reconcile is not null)
            {
                jobs.Add(("reconcile", Reconcile));
            }

            if (Retention is not null)
            {
                jobs.Add(("retention", Retention));
            }

            return jobs;
        }
    }
}

/// <summary>Where <c>mybi serve</c> keeps its schedules.</summary>
public enum SchedulerStore
{
    /// <summary>In the process: each instance runs every schedule it is given.</summary>
    Memory,

    /// <summary>In PostgreSQL tables shared by every instance: each fire runs on one of them.</summary>
    Postgres,
}

/// <summary>The <c>scheduler</c> block: the job store that instances of <c>mybi serve</c> share.</summary>
public sealed class SchedulerDefinition
{
    /// <summary>How often an instance reports itself alive to the others when none is given.</summary>
    public static readonly TimeSpan DefaultCheckinInterval = TimeSpan.FromSeconds(15);

    /// <summary>The store of a process whose pipelines name none.</summary>
    public static SchedulerDefinition InMemory { get; } = new(SchedulerStore.Memory, null, DefaultCheckinInterval);

    internal SchedulerDefinition(SchedulerStore store, string? connection, TimeSpan checkinInterval)
    {
        Store = store;
        Connection = connection;
        CheckinInterval = checkinInterval;
    }

    /// <summary>The kind of store.</summary>
    public SchedulerStore Store { get; }

    /// <summary>The Npgsql connection string of a PostgreSQL store (a secret), else <see langword="null"/>.</summary>
    public string? Connection { get; }

    /// <summary>How often an instance checks in; another takes over a silent one's jobs after about this long.</summary>
    public TimeSpan CheckinInterval { get; }
}
