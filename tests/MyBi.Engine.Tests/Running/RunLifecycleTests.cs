using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Destinations.DuckDb;
using MyBi.Engine.Reports;
using MyBi.Engine.Running;
using MyBi.Engine.State;
using MyBi.Engine.Tests.Reports;
using static MyBi.Engine.Tests.Running.ScriptedConnector;

namespace MyBi.Engine.Tests.Running;

/// <summary>Every stage runs through one lifecycle: the same write retries, quota per batch and run records.</summary>
public sealed class RunLifecycleTests : IAsyncLifetime
{
    private const string Secret = "Tok3n-Secret-Value";
    private static readonly DateOnly s_today = new(2026, 11, 15);
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-lifecycle-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 15, 9, 0, 0, TimeSpan.Zero));
    private readonly ReportConnector _reports = new();
    private TimeProvider _time = null!;
    private FlakyDestination _destination = null!;

    public Task InitializeAsync()
    {
        _time = new InstantDelays(_clock);
        _destination = new FlakyDestination(new DuckDbDestinationProvider().Create(new JsonObject { ["type"] = "duckdb", ["path"] = "runs.duckdb" }, _folder));
        for (var i = 1; i <= 20; i++)
        {
            _reports.Rows.Add(ReportConnector.Payment(i, s_today.AddDays(-i), i * 10m));
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _destination.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private ReportJob Report(PlanLimits? plan = null, int days = 20, string pipeline = "p") => new()
    {
        Pipeline = pipeline,
        Name = "Payments",
        Connector = _reports,
        SourceConfig = new JsonObject(),
        Report = ReportFields.Of(_reports.ReportTypes[0]),
        Fields = ["id", "date", "amount"],
        From = s_today.AddDays(-days),
        To = s_today,
        BatchSize = 7,
        Plan = plan ?? PlanLimits.Unlimited,
        Redactor = new SecretRedactor([Secret]),
    };

    private static SyncJob Sync(ScriptedConnector connector, int batchSize = 1000) => new()
    {
        Pipeline = "p",
        Connector = connector,
        SourceConfig = new JsonObject(),
        Streams = ["items"],
        BatchSize = batchSize,
    };

    private async Task<long> CountAsync(string sql) =>
        Convert.ToInt64((await _destination.QueryAsync(sql, 1)).Rows[0][0], CultureInfo.InvariantCulture);

    private async Task<RunRecord> OnlyRunAsync() => Assert.Single(await new RunStore(_destination).LoadRunsAsync("p"));

    [Fact]
    public async Task ReportRun_TransientWriteFailure_IsWrittenAgain()
    {
        _destination.FailWrites("shop_reports", 2, MyBiException.Transient("connection reset by peer"));

        var result = await new ReportRunner(_time).RunAsync(Report(days: 10), _destination);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(2, _destination.Failed);
        Assert.Equal(10, result.RowsByTable["shop_reports"]);
        Assert.Equal(10, await CountAsync("select count(*) from shop_reports"));
    }

    [Fact]
    public async Task SyncRun_TransientWriteFailure_IsWrittenAgain()
    {
        _destination.FailWrites("items", 1, MyBiException.Transient("connection reset by peer"));
        var connector = new ScriptedConnector(_ => Enumerable.Range(1, 5).Select(i => Step(Item(i))));

        var result = await new PipelineRunner(_time).RunAsync(Sync(connector), _destination);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(1, _destination.Failed);
        Assert.Equal(5, await CountAsync("select count(*) from items"));
    }

    [Fact]
    public async Task ReportRun_TransientFailureThatPersists_FailsAfterThreeRetries()
    {
        _destination.FailWrites("shop_reports", 4, MyBiException.Transient("connection reset by peer"));

        var error = await Assert.ThrowsAsync<MyBiException>(() => new ReportRunner(_time).RunAsync(Report(days: 10), _destination));

        Assert.Equal("connection reset by peer", error.Message);
        Assert.Equal(4, _destination.Failed);
        Assert.Equal(RunStatus.Failed, (await OnlyRunAsync()).Status);
    }

    [Fact]
    public async Task ReportRun_RowQuota_StopsAfterTheLastBatchThatFits_AndRemovesNothing()
    {
        // Another pipeline's job of the same name loads the shared table; its rows do not count against this quota.
        await new ReportRunner(_time).RunAsync(Report(pipeline: "other"), _destination);

        // Batches of 7 against 10 rows: the first fits, the second would pass the quota.
        var result = await new ReportRunner(_time).RunAsync(Report(new PlanLimits { RowsPerMonth = 10 }), _destination);

        Assert.Equal(RunStatus.QuotaExhausted, result.Status);
        Assert.Equal(7, result.TotalRows);
        Assert.Contains("spent", result.Message, StringComparison.Ordinal);
        Assert.Equal(7, await CountAsync($"select count(*) from shop_reports where _run_id = '{result.RunId}'"));
        // The period was not fully rewritten, so rows the run did not reach are not stale: all 20 stay.
        Assert.Equal(20, await CountAsync("select count(*) from shop_reports"));
        var store = new RunStore(_destination);
        Assert.Null(await store.LoadStateAsync("p/report/Payments"));
        Assert.Equal(7, await store.RowsWrittenSinceAsync("p", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(RunStatus.QuotaExhausted, (await OnlyRunAsync()).Status);
    }

    [Fact]
    public async Task SyncRun_Cancelled_IsRecordedCancelled()
    {
        using var cancel = new CancellationTokenSource();
        var connector = new ScriptedConnector(_ =>
        [
            Step(Item(1)), Step(Item(2)),
            Do(async () => await cancel.CancelAsync()),
            Step(Item(3)),
        ]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new PipelineRunner(_time).RunAsync(Sync(connector, batchSize: 1), _destination, cancel.Token));

        var run = await OnlyRunAsync();
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(2, run.RowsWritten);
        Assert.Equal("cancelled", await ScalarAsync("select status from _mybi_runs"));
    }

    [Fact]
    public async Task ReportRun_Failure_IsRecordedFailedOnOneLineWithSecretsMasked()
    {
        _destination.FailWrites("shop_reports", 1, MyBiException.System($"server closed the connection:\n  password {Secret.ToUpperInvariant()} expired\r\n\r\nHINT: ask the DBA"));

        await Assert.ThrowsAsync<MyBiException>(() => new ReportRunner(_time).RunAsync(Report(days: 10), _destination));

        var run = await OnlyRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("server closed the connection: password *** expired HINT: ask the DBA", run.Message);
        Assert.Equal("failed", await ScalarAsync("select status from _mybi_runs"));
    }

    [Fact]
    public void RunStatus_StoredTexts_AreTheOnesTheWarehouseAlreadyHolds()
    {
        Assert.Equal(
            ["running", "succeeded", "failed", "quota_exhausted", "cancelled"],
            Enum.GetValues<RunStatus>().Select(s => s.ToText()));
        Assert.All(Enum.GetValues<RunStatus>(), s => Assert.Equal(s, RunStatusText.Parse(s.ToText())));
        var error = Assert.Throws<MyBiException>(() => RunStatusText.Parse("done"));
        Assert.Contains("'done'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadRuns_RowsWrittenAsText_ReadAsTheEnum()
    {
        await new RunStore(_destination).EnsureAsync();
        var started = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var rows = new[] { "quota_exhausted", "cancelled", "running" }
            .Select((status, i) => new object?[] { $"r{i}", "p", "sync", status, started.AddHours(i), null, null, null, 0L, null })
            .ToList();
        await _destination.WriteAsync(new RecordBatch(EngineTables.Runs, rows), WriteMode.Merge);

        var runs = await new RunStore(_destination).LoadRunsAsync("p");

        Assert.Equal([RunStatus.Running, RunStatus.Cancelled, RunStatus.QuotaExhausted], runs.Select(r => r.Status));
    }

    [Fact]
    public async Task EngineRun_AStageOfItsOwn_WritesThroughTheSameLifecycle()
    {
        var table = new TableSchema("events", [new("id", ColumnType.Int64), new("name", ColumnType.String)], ["id"]);
        var spec = new RunSpec { Pipeline = "p", Kind = "retention", Plan = new PlanLimits { RowsPerMonth = 5 }, TimeProvider = _time };
        _destination.FailWrites("events", 1, MyBiException.Transient("lock timeout"));

        var run = await EngineRun.OpenAsync(_destination, spec, CancellationToken.None);
        await run.StartAsync([(table, TableOwner.Stream("p", "events"))], CancellationToken.None);
        var result = await run.ExecuteAsync(
            async ct =>
            {
                for (var id = 1; id <= 3; id++)
                {
                    if (!await run.Writer.WriteAsync(new RecordBatch(table, [[(long)(2 * id) - 1, "a"], [(long)(2 * id), "b"]]), ct))
                    {
                        break;
                    }
                }

                return null;
            },
            CancellationToken.None);

        Assert.Equal(RunStatus.QuotaExhausted, result.Status);
        Assert.Equal(4, result.RowsByTable["events"]);
        Assert.Equal(4, await CountAsync("select count(*) from events"));
        var record = await OnlyRunAsync();
        Assert.Equal(("retention", RunStatus.QuotaExhausted, 4L), (record.Kind, record.Status, record.RowsWritten));
        Assert.Equal(4, await CountAsync("select rows_written from _mybi_run_tables where table_name = 'events'"));
    }

    private async Task<string?> ScalarAsync(string sql) => (string?)(await _destination.QueryAsync(sql, 1)).Rows[0][0];
}
