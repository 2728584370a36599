using System.Globalization;
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

/// <summary>
/// A sync writes a full batch on another thread while it reads the next one; what ends up in the warehouse, the
/// counts and the stored state are those of writing in turn.
/// </summary>
public sealed class OverlappedWritesTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-overlap-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
    private readonly List<Destination> _destinations = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var destination in _destinations)
        {
            await destination.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private Destination NewDestination(string name)
    {
        var destination = new DuckDbDestinationProvider().Create(new JsonObject { ["type"] = "duckdb", ["path"] = name + ".duckdb" }, _folder);
        _destinations.Add(destination);
        return destination;
    }

    /// <summary>Rows of every kind a buffer meets: new keys, a key again (merged), and keys that go to the quarantine.</summary>
    private static List<JsonObject> Rows()
    {
        var rows = new List<JsonObject>();
        for (var i = 1; i <= 95; i++)
        {
            rows.Add(((SourceRecord)Item(i % 40 == 0 ? 7 : i, $"n{i}", i)).Data);
            if (i % 17 == 0)
            {
                rows.Add(new JsonObject { ["id"] = "abc" + i.ToString(CultureInfo.InvariantCulture), ["name"] = "bad" });
            }
        }

        return rows;
    }

    private async Task<(IReadOnlyDictionary<string, long> Written, long Quarantined, List<string> Items, List<string> Quarantine)> LoadAsync(bool overlap)
    {
        var destination = NewDestination(overlap ? "overlap" : "in-turn");
        var stream = StreamSchemaCompiler.Compile(new ScriptedConnector(_ => []).Streams[0]);
        var run = await EngineRun.OpenAsync(destination, new RunSpec { Pipeline = "p", TimeProvider = _time }, CancellationToken.None);
        await run.StartAsync([(stream.Table, TableOwner.Stream("p", "items"))], CancellationToken.None);
        var buffers = new StreamBuffers(run.Writer, [stream], new Dictionary<string, IRowTransform>(), batchSize: 9, _time, overlapWrites: overlap);
        var result = await run.ExecuteAsync(
            async ct =>
            {
                foreach (var row in Rows())
                {
                    Assert.True(await buffers.AddAsync(stream, row, ct));
                }

                Assert.True(await buffers.FlushAllAsync(ct));
                return null;
            },
            CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, result.Status);
        var items = (await destination.QueryAsync("select id, name, price from items order by id", 1000)).Rows
            .Select(r => string.Join('|', r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))).ToList();
        var quarantine = (await destination.QueryAsync("select source, row_key, error, row_json from _mybi_quarantine order by row_key", 1000)).Rows
            .Select(r => string.Join('|', r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))).ToList();
        return (run.Writer.Written, run.Writer.Quarantined, items, quarantine);
    }

    [Fact]
    public async Task OverlappedWrites_LoadTheSameRowsAndCountsAsWritingInTurn()
    {
        var inTurn = await LoadAsync(overlap: false);
        var overlapped = await LoadAsync(overlap: true);

        Assert.Equal(93, inTurn.Items.Count);
        Assert.Equal(5, inTurn.Quarantined);
        Assert.Equal(inTurn.Items, overlapped.Items);
        Assert.Equal(inTurn.Quarantine, overlapped.Quarantine);
        Assert.Equal(inTurn.Quarantined, overlapped.Quarantined);
        Assert.Equal(inTurn.Written.OrderBy(kv => kv.Key), overlapped.Written.OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task SyncRun_WriteFailingWhileTheNextBatchIsRead_FailsTheRun_AndKeepsTheStateBeforeIt()
    {
        var destination = new FlakyDestination(NewDestination("flaky"));
        var connector = new ScriptedConnector(_ =>
            Enumerable.Range(1, 2).Select(i => Step(Item(i)))
                .Append(Step(new SourceCheckpoint(new JsonObject { ["cursor"] = 2 })))
                .Append(Do(() =>
                {
                    destination.FailWrites("items", 1, MyBiException.System("disk full"));
                    return Task.CompletedTask;
                }))
                .Concat(Enumerable.Range(3, 8).Select(i => Step(Item(i))))
                .Append(Step(new SourceCheckpoint(new JsonObject { ["cursor"] = 10 }))));
        var job = new SyncJob { Pipeline = "p", Connector = connector, SourceConfig = new JsonObject(), Streams = ["items"], BatchSize = 2 };

        var error = await Assert.ThrowsAsync<MyBiException>(() => new PipelineRunner(_time).RunAsync(job, destination));

        Assert.Equal("disk full", error.Message);
        var store = new RunStore(destination);
        Assert.Equal(2, (await store.LoadStateAsync("p"))?["cursor"]?.GetValue<int>());
        var run = Assert.Single(await store.LoadRunsAsync("p"));
        Assert.Equal(RunStatus.Failed, run.Status);

        // Nothing after the failed batch was handed to the writer: a write starts only once the one before it is committed.
        var ids = (await destination.QueryAsync("select id from items order by id", 100)).Rows.Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([1L, 2L], ids);
        Assert.Equal(2, run.RowsWritten);
    }

    [Fact]
    public async Task SyncRun_CancelledWhileABatchIsWritten_FinishesThatBatch_AndWritesNothingAfter()
    {
        using var cancel = new CancellationTokenSource();
        var connector = new ScriptedConnector(_ =>
            Enumerable.Range(1, 6).Select(i => Step(Item(i)))
                .Append(Do(async () => await cancel.CancelAsync()))
                .Concat(Enumerable.Range(7, 6).Select(i => Step(Item(i)))));
        var destination = NewDestination("cancel");
        var job = new SyncJob { Pipeline = "p", Connector = connector, SourceConfig = new JsonObject(), Streams = ["items"], BatchSize = 3 };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new PipelineRunner(_time).RunAsync(job, destination, cancel.Token));

        var run = Assert.Single(await new RunStore(destination).LoadRunsAsync("p"));
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(6, run.RowsWritten);
        Assert.Equal(6L, Convert.ToInt64((await destination.QueryAsync("select count(*) from items", 1)).Rows[0][0], CultureInfo.InvariantCulture));
    }
}
