namespace MyBi.Pipelines.Tests;

/// <summary>The <c>schedule:</c> and <c>scheduler:</c> blocks: five-field cron, positioned errors, the jobs they name.</summary>
public sealed class ScheduleTests
{
    private static PipelineParseResult With(string blocks) => TestFiles.Parse($"""
        name: salon
        source: {"{connector: yclients}"}
        destination: {"{type: duckdb}"}
        reports:
          - {"{name: Finance by day, type: finance_transactions}"}
        retention: {"{days: 90}"}
        {blocks}
        """);

    [Fact]
    public void Parse_FullSchedule_BindsEveryJobInQuartzForm()
    {
        var result = With("""
            schedule:
              sync: "*/15 * * * *"
              reports: {"Finance by day": "0 3 * * *"}
              reconcile: "0 4 * * 0"
              retention: "30 5 * * 1-5"
              timezone: Europe/Moscow
            """);

        Assert.Empty(result.Errors);
        var schedule = result.Definition!.Schedule!;
        Assert.Equal("0 */15 * * * ?", schedule.Sync!.QuartzExpression);
        Assert.Equal("*/15 * * * *", schedule.Sync.Text);
        Assert.Equal("0 0 3 * * ?", schedule.Reports["Finance by day"].QuartzExpression);

        // Cron's Sunday is 0; Quartz's is 1 (SUN), and Monday-Friday keeps meaning Monday-Friday.
        Assert.Contains("SUN", schedule.Reconcile!.QuartzExpression, StringComparison.Ordinal);
        Assert.Contains("MON-FRI", schedule.Retention!.QuartzExpression, StringComparison.Ordinal);
        Assert.Equal("Europe/Moscow", schedule.TimeZone);
        Assert.Equal(["sync", "report:Finance by day", "reconcile", "retention"], schedule.Jobs.Select(j => j.Job));
        Assert.Null(result.Definition.Scheduler);
    }

    [Fact]
    public void Parse_BadExpressions_ArePositionedErrors()
    {
        var result = With("""
            schedule:
              sync: "*/15 * * *"
              reports:
                Finance by day: "61 3 * * *"
                Nope: "0 3 * * *"
              retention: "0 0 30 2 *"
              timezone: Mars/Olympus
            """);

        var errors = TestFiles.Describe(result.Errors);
        Assert.Equal(5, errors.Length);
        Assert.StartsWith("8:9: schedule.sync: a cron expression has 5 fields", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("10:21: schedule.reports.Finance by day: not a valid cron expression", errors[1], StringComparison.Ordinal);
        Assert.Equal("11:5: schedule.reports.Nope: no report job is named 'Nope'; the file's reports are 'Finance by day'", errors[2]);
        Assert.Equal("12:14: schedule.retention: the expression never fires (no date matches it)", errors[3]);
        Assert.Equal("13:13: schedule.timezone: unknown time zone; use an IANA name such as Europe/Moscow or UTC", errors[4]);
        Assert.Null(result.Definition);
    }

    [Fact]
    public void Parse_RetentionScheduledWithoutItsBlock_Rejected()
    {
        var result = TestFiles.Parse("""
            name: salon
            source: {connector: yclients}
            destination: {type: duckdb}
            schedule: {retention: "0 5 * * *"}
            """);

        Assert.Equal(["4:23: schedule.retention: retention is scheduled but the file has no retention block; add e.g. 'retention: {days: 90}'"], TestFiles.Describe(result.Errors));
    }

    [Fact]
    public void Parse_PostgresSchedulerWithoutConnection_Rejected_AndItsConnectionIsASecret()
    {
        Assert.NotEmpty(With("scheduler: {store: postgres}").Errors);

        var result = With("scheduler: {store: postgres, connection: \"Host=db;Password=hunter22\", checkin_interval: 2}");
        Assert.Empty(result.Errors);
        var scheduler = result.Definition!.Scheduler!;
        Assert.Equal(SchedulerStore.Postgres, scheduler.Store);
        Assert.Equal(TimeSpan.FromSeconds(2), scheduler.CheckinInterval);
        Assert.Contains("hunter22", result.Definition.SecretValues);
        Assert.Equal(SchedulerStore.Memory, With("scheduler: {store: memory}").Definition!.Scheduler!.Store);
    }
}
