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

/// <summary>A table has one owner, recorded in the destination; a run that would write another's table changes nothing.</summary>
public sealed class TableOwnershipTests : IAsyncLifetime
{
    private static readonly DateOnly s_today = new(2026, 11, 15);
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-owners-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
    private Destination _destination = null!;

    public Task InitializeAsync()
    {
        _destination = new DuckDbDestinationProvider().Create(new JsonObject { ["type"] = "duckdb", ["path"] = "owners.duckdb" }, _folder);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _destination.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static SyncJob Sync(string pipeline, ScriptedConnector connector, IRowTransform? transform = null) => new()
    {
        Pipeline = pipeline,
        Connector = connector,
        SourceConfig = new JsonObject(),
        Streams = ["items"],
        Transforms = transform is null ? new Dictionary<string, IRowTransform>() : new Dictionary<string, IRowTransform> { ["items"] = transform },
    };

    private async Task<long> CountAsync(string table) => Convert.ToInt64((await _destination.QueryAsync($"select count(*) from {table}", 1)).Rows[0][0], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Sync_RuleWritingAStreamTable_FailsBeforeChangingIt()
    {
        var runner = new PipelineRunner(_time);
        await runner.RunAsync(Sync("loads", new ScriptedConnector(_ => Enumerable.Range(1, 5).Select(i => Step(Item(i, "real"))))), _destination);

        using var rule = new FixedTransform("items", "ITEMS");
        var error = await Assert.ThrowsAsync<MyBiException>(() => runner.RunAsync(Sync("hijack", new ScriptedConnector(_ => [Step(Item(1))]), rule), _destination));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith("table 'items' belongs to stream 'items', so the rule of stream 'items' of pipeline 'hijack' may not write it; table 'ITEMS' belongs to stream 'items'", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, await CountAsync("items"));
        Assert.Equal(0, rule.Calls);
        var names = await _destination.QueryAsync("select name from items", 10);
        Assert.All(names.Rows, r => Assert.Equal("real", r[0]));
    }

    [Fact]
    public async Task Sync_RuleDeclaringAnEngineTable_FailsBeforeWriting()
    {
        using var rule = new FixedTransform("_mybi_state", "_MYBI_STATE");

        var error = await Assert.ThrowsAsync<MyBiException>(() => new PipelineRunner(_time).RunAsync(Sync("hijack", new ScriptedConnector(_ => [Step(Item(1))]), rule), _destination));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("table '_mybi_state' belongs to the engine", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, rule.Calls);
    }

    [Fact]
    public async Task Sync_TwoPipelinesLoadingOneStream_BothMayWriteIt()
    {
        var runner = new PipelineRunner(_time);
        await runner.RunAsync(Sync("a", new ScriptedConnector(_ => [Step(Item(1))])), _destination);
        await runner.RunAsync(Sync("b", new ScriptedConnector(_ => [Step(Item(2))])), _destination);

        Assert.Equal(2, await CountAsync("items"));
        var owners = await _destination.QueryAsync("select table_name, pipeline, owner_kind, owner_name from _mybi_table_owners", 10);
        Assert.Equal(["items", "a", "stream", "items"], Assert.Single(owners.Rows));
    }

    [Fact]
    public async Task Sync_SameRuleTableFromAnotherPipeline_Fails()
    {
        var runner = new PipelineRunner(_time);
        using (var first = new FixedTransform("facts"))
        {
            await runner.RunAsync(Sync("a", new ScriptedConnector(_ => [Step(Item(1))]), first), _destination);
        }

        using var second = new FixedTransform("facts");
        var error = await Assert.ThrowsAsync<MyBiException>(() => runner.RunAsync(Sync("b", new ScriptedConnector(_ => [Step(Item(1))]), second), _destination));

        Assert.StartsWith("table 'facts' belongs to the rule of stream 'items' of pipeline 'a', so the rule of stream 'items' of pipeline 'b' may not write it.", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("facts"));
    }

    [Fact]
    public async Task Report_TwoJobsNamingOneTable_SecondFailsAndTheFirstKeepsItsRows()
    {
        var connector = new ReportConnector();
        for (var i = 1; i <= 6; i++)
        {
            connector.Rows.Add(ReportConnector.Payment(i, s_today.AddDays(-i), i * 10m));
        }

        var runner = new ReportRunner(_time);
        await runner.RunAsync(Report("Money in", connector), _destination);
        connector.Rows.Clear();

        var error = await Assert.ThrowsAsync<MyBiException>(() => runner.RunAsync(Report("money-in", connector), _destination));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith("table 'report_money_in' belongs to report job 'Money in' of pipeline 'p', so report job 'money-in' of pipeline 'p' may not write it.", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, await CountAsync("report_money_in"));
    }

    private static ReportJob Report(string name, ReportConnector connector) => new()
    {
        Pipeline = "p",
        Name = name,
        Connector = connector,
        SourceConfig = new JsonObject(),
        Report = ReportFields.Of(connector.ReportTypes[0]),
        Fields = ["id", "date", "amount"],
        FixStructure = true,
        From = s_today.AddDays(-10),
        To = s_today,
    };

    /// <summary>A transform writing one row per input row into the tables it names.</summary>
    private sealed class FixedTransform(params string[] names) : IRowTransform
    {
        public int Calls { get; private set; }

        public IReadOnlyList<TableSchema> Tables { get; } = names.Select(n => new TableSchema(n, [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("name", ColumnType.String)], ["id"])).ToList();

        public RowTransformResult Transform(IReadOnlyList<JsonObject> rows, Func<JsonObject, string> keyOf, CancellationToken cancellationToken)
        {
            Calls++;
            return new RowTransformResult([new RecordBatch(Tables[0], rows.Select(r => new object?[] { r["id"]!.GetValue<long>(), "rule" }).ToList())], []);
        }

        public void Dispose()
        {
        }
    }
}
