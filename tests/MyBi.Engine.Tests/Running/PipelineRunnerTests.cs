using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;
using MyBi.Destinations.DuckDb;
using MyBi.Engine.Running;
using MyBi.Engine.Schema;
using MyBi.Engine.State;
using static MyBi.Engine.Tests.Running.ScriptedConnector;

namespace MyBi.Engine.Tests.Running;

public sealed class PipelineRunnerTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-runner-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
    private Destination _destination = null!;

    public Task InitializeAsync()
    {
        _destination = new DuckDbDestinationProvider().Create(new JsonObject { ["type"] = "duckdb", ["path"] = "runner.duckdb" }, _folder);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _destination.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private SyncJob Job(ScriptedConnector connector, int batchSize = 1000, PlanLimits? plan = null, DateOnly? from = null, long maxBatchBytes = StreamBuffers.DefaultMaxBatchBytes) => new()
    {
        MaxBatchBytes = maxBatchBytes,
        Pipeline = "p1",
        Connector = connector,
        SourceConfig = new JsonObject(),
        Streams = ["items"],
        BatchSize = batchSize,
        Plan = plan ?? PlanLimits.Unlimited,
        From = from,
        To = from is null ? null : new DateOnly(2026, 11, 15),
    };

    private async Task<List<object?[]>> ItemsAsync()
    {
        var table = StreamSchemaCompiler.Compile(new ScriptedConnector(_ => []).Streams[0]).Table;
        var rows = new List<object?[]>();
        await foreach (var row in _destination.ReadTableAsync(table))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task RunAsync_SameRowsTwice_MergesInsteadOfDuplicating()
    {
        var connector = new ScriptedConnector(_ => Enumerable.Range(1, 50).Select(i => Step(Item(i, $"n{i}"))).Append(Step(new SourceCheckpoint(new JsonObject { ["c"] = 1 }))));
        var runner = new PipelineRunner(_time);

        var first = await runner.RunAsync(Job(connector, batchSize: 7), _destination);
        var second = await runner.RunAsync(Job(connector, batchSize: 7), _destination);

        Assert.Equal(50, first.RowsByTable["items"]);
        Assert.Equal(50, second.RowsByTable["items"]);
        var rows = await ItemsAsync();
        Assert.Equal(50, rows.Count);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), rows.Select(r => (long)r[0]!).Order());
    }

    [Fact]
    public async Task RunAsync_RowsWithLargeTexts_AreWrittenOnceTheBufferPassesItsByteBudget()
    {
        var text = new string('x', 4000);
        var connector = new ScriptedConnector(_ =>
            Enumerable.Range(1, 10).Select(i => Step(Item(i, text)))
                .Append(Step(new SourceCheckpoint(new JsonObject { ["cursor"] = 10 }))));
        var job = Job(connector, batchSize: 1000, maxBatchBytes: 20_000);
        var committed = new CommittedBatches();

        await new PipelineRunner(_time, committed).RunAsync(job, _destination);

        // 1000 rows would fit the row count; about 8 kB a row passes the 20 kB budget every third row, and the
        // last row goes with the checkpoint.
        Assert.Equal([3, 3, 3, 1], committed.Sizes("items"));
        Assert.Equal(10, (await ItemsAsync()).Count);
    }

    /// <summary>The batches committed per table, in order.</summary>
    private sealed class CommittedBatches : RunObserver
    {
        private readonly List<(string Table, int Rows)> _batches = [];

        public List<int> Sizes(string table) => _batches.Where(b => b.Table == table).Select(b => b.Rows).ToList();

        public override void OnRowsWritten(string table, int rows, long tableTotal) => _batches.Add((table, rows));
    }

    [Fact]
    public async Task RunAsync_Checkpoint_IsStoredOnlyAfterItsRowsAreCommitted()
    {
        var store = new RunStore(_destination);
        int rowsSeenAtCheckpoint = -1;
        JsonObject? stateSeenAtCheckpoint = null;
        var connector = new ScriptedConnector(_ =>
            Enumerable.Range(1, 12).Select(i => Step(Item(i)))
                .Append(Step(new SourceCheckpoint(new JsonObject { ["cursor"] = 12 })))
                .Append(Do(async () =>
                {
                    rowsSeenAtCheckpoint = (await ItemsAsync()).Count;
                    stateSeenAtCheckpoint = await store.LoadStateAsync("p1");
                })));

        await new PipelineRunner(_time).RunAsync(Job(connector, batchSize: 5), _destination);

        Assert.Equal(12, rowsSeenAtCheckpoint);
        Assert.Equal(12, stateSeenAtCheckpoint?["cursor"]?.GetValue<int>());
    }

    [Fact]
    public async Task RunAsync_ErrorEchoingASecret_StoresTheRunMessageRedactedInAnyCase()
    {
        const string token = "Tok3n-Secret-Value";
        var connector = new ScriptedConnector(_ =>
            [Step(Item(1)), Do(() => throw MyBiException.Transient($"401 from API: token {token.ToLowerInvariant()} rejected (sent {Uri.EscapeDataString(token + "/x")}, was {token.ToUpperInvariant()})"))]);
        var job = new SyncJob
        {
            Pipeline = "p1",
            Connector = connector,
            SourceConfig = new JsonObject(),
            Streams = ["items"],
            Redactor = new SecretRedactor([token]),
        };

        await Assert.ThrowsAsync<MyBiException>(() => new PipelineRunner(_time).RunAsync(job, _destination));

        var run = Assert.Single(await new RunStore(_destination).LoadRunsAsync("p1"));
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("401 from API: token *** rejected (sent ***%2Fx, was ***)", run.Message);
    }

    [Fact]
    public async Task RunAsync_FailureAfterCheckpoint_KeepsLastStateAndRecordsFailure()
    {
        var connector = new ScriptedConnector(_ =>
            Enumerable.Range(1, 10).Select(i => Step(Item(i)))
                .Append(Step(new SourceCheckpoint(new JsonObject { ["cursor"] = 10 })))
                .Concat(Enumerable.Range(11, 5).Select(i => Step(Item(i))))
                .Append(Do(() => throw MyBiException.Transient("source went away"))));

        var ex = await Assert.ThrowsAsync<MyBiException>(() => new PipelineRunner(_time).RunAsync(Job(connector), _destination));
        Assert.Equal("source went away", ex.Message);

        var store = new RunStore(_destination);
        Assert.Equal(10, (await store.LoadStateAsync("p1"))?["cursor"]?.GetValue<int>());
        var run = Assert.Single(await store.LoadRunsAsync("p1"));
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("source went away", run.Message);

        var retry = new ScriptedConnector(request => Enumerable.Range(11, 5).Select(i => Step(Item(i))).Append(Step(new SourceCheckpoint(new JsonObject { ["cursor"] = 15 }))));
        await new PipelineRunner(_time).RunAsync(Job(retry), _destination);
        Assert.Equal(10, retry.LastRequest?.State?["cursor"]?.GetValue<int>());
        Assert.Equal(15, (await ItemsAsync()).Count);
    }

    [Fact]
    public async Task RunAsync_HistoryBeyondPlan_FailsBeforeAnyRequest()
    {
        var connector = new ScriptedConnector(_ => [Step(Item(1))]);
        var plan = new PlanLimits { HistoryDays = 30 };

        var ex = await Assert.ThrowsAsync<MyBiException>(() => new PipelineRunner(_time).RunAsync(Job(connector, plan: plan, from: new DateOnly(2026, 10, 1)), _destination));

        Assert.Equal(FailureKind.Config, ex.Kind);
        Assert.Contains("30 days", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, connector.Connects);
    }

    [Fact]
    public async Task RunAsync_HistoryWithinPlan_Runs()
    {
        var connector = new ScriptedConnector(_ => [Step(Item(1)), Step(new SourceCheckpoint(new JsonObject()))]);
        var result = await new PipelineRunner(_time).RunAsync(Job(connector, plan: new PlanLimits { HistoryDays = 30 }, from: new DateOnly(2026, 10, 16)), _destination);
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(new DateOnly(2026, 10, 16), connector.LastRequest?.From);
    }

    [Fact]
    public async Task RunAsync_RowQuota_StopsCleanlyAndCountsAcrossRuns()
    {
        var connector = new ScriptedConnector(_ => Enumerable.Range(1, 100).Select(i => Step(Item(i))).Append(Step(new SourceCheckpoint(new JsonObject { ["cursor"] = 100 }))));
        var plan = new PlanLimits { RowsPerMonth = 25 };

        var result = await new PipelineRunner(_time).RunAsync(Job(connector, batchSize: 10, plan: plan), _destination);

        Assert.Equal(RunStatus.QuotaExhausted, result.Status);
        Assert.Equal(20, result.TotalRows);
        Assert.Contains("spent", result.Message, StringComparison.Ordinal);
        Assert.Equal(20, (await ItemsAsync()).Count);
        var store = new RunStore(_destination);
        Assert.Null(await store.LoadStateAsync("p1"));
        Assert.Equal(20, await store.RowsWrittenSinceAsync("p1", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)));

        var exhausted = new PlanLimits { RowsPerMonth = 20 };
        var ex = await Assert.ThrowsAsync<MyBiException>(() => new PipelineRunner(_time).RunAsync(Job(connector, batchSize: 10, plan: exhausted), _destination));
        Assert.Equal(FailureKind.Config, ex.Kind);

        _time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var nextMonth = await new PipelineRunner(_time).RunAsync(Job(connector, batchSize: 10, plan: exhausted), _destination);
        Assert.Equal(20, nextMonth.TotalRows);
    }

    [Fact]
    public async Task RunAsync_UnknownStream_IsConfigErrorListingStreams()
    {
        var connector = new ScriptedConnector(_ => []);
        var job = new SyncJob { Pipeline = "p1", Connector = connector, SourceConfig = new JsonObject(), Streams = ["itemz"] };
        var ex = await Assert.ThrowsAsync<MyBiException>(() => new PipelineRunner(_time).RunAsync(job, _destination));
        Assert.Equal(FailureKind.Config, ex.Kind);
        Assert.Contains("'itemz'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("items", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OnlySelectedStreamsAreRequested()
    {
        var connector = new ScriptedConnector(_ => [Step(new SourceCheckpoint(new JsonObject()))]);
        await new PipelineRunner(_time).RunAsync(Job(connector), _destination);
        Assert.Equal(["items"], connector.LastRequest?.Streams);
        Assert.False(await _destination.TableExistsAsync("other"));
    }

    [Fact]
    public async Task RunAsync_Succeeded_RecordsRunAndRowsPerTable()
    {
        var connector = new ScriptedConnector(_ => Enumerable.Range(1, 3).Select(i => Step(Item(i))).Append(Step(new SourceCheckpoint(new JsonObject()))));
        var result = await new PipelineRunner(_time).RunAsync(Job(connector), _destination);

        var run = Assert.Single(await new RunStore(_destination).LoadRunsAsync("p1"));
        Assert.Equal(result.RunId, run.RunId);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(3, run.RowsWritten);
        var counts = await _destination.QueryAsync("select table_name, rows_written from _mybi_run_tables", 10);
        var only = Assert.Single(counts.Rows);
        Assert.Equal("items", only[0]);
        Assert.Equal(3L, Convert.ToInt64(only[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
