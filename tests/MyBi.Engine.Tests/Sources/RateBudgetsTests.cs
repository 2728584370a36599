using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Streams;
using MyBi.Destinations.DuckDb;
using MyBi.Engine.Running;
using MyBi.Engine.Sources;

namespace MyBi.Engine.Tests.Sources;

public sealed class RateBudgetsTests
{
    private static readonly RateWindow[] s_fivePerSecond = [new(5, TimeSpan.FromSeconds(1))];

    [Fact]
    public void GetOrCreate_SameAccountAndWindows_IsOneBudget()
    {
        var budgets = new RateBudgets();

        var first = budgets.GetOrCreate("account", s_fivePerSecond);

        Assert.Same(first, budgets.GetOrCreate("account", [new(5, TimeSpan.FromSeconds(1))]));
        Assert.NotSame(first, budgets.GetOrCreate("other", s_fivePerSecond));
        Assert.NotSame(first, budgets.GetOrCreate("account", [new(1, TimeSpan.FromSeconds(1))]));
    }

    [Fact]
    public async Task GetOrCreate_BudgetSpent_NextRequestWaitsForItsWindow()
    {
        var time = new FakeTimeProvider();
        var budget = new RateBudgets(time).GetOrCreate("account", [new(2, TimeSpan.FromSeconds(1))]);
        (await budget.AcquireAsync()).Dispose();
        (await budget.AcquireAsync()).Dispose();

        var third = budget.AcquireAsync().AsTask();
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(third.IsCompleted);
        Assert.False(budget.TryAcquire(out _));

        time.Advance(TimeSpan.FromMilliseconds(1));
        (await third.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public void AccountKey_HoldsNoPartInClear()
    {
        var key = RateBudgets.AccountKey("https://api.yclients.com/api/v1", "secret-partner-token");

        Assert.DoesNotContain("secret", key, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("yclients", key, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(key, RateBudgets.AccountKey("https://api.yclients.com/api/v1", "secret-partner-token"));
        Assert.NotEqual(key, RateBudgets.AccountKey("https://api.yclients.com/api/v1", "another-token"));
    }

    [Fact]
    public async Task RunAsync_TwoRuns_GiveTheirSessionsTheProcessBudgets()
    {
        var folder = Directory.CreateTempSubdirectory("mybi-budgets-").FullName;
        try
        {
            await using var destination = new DuckDbDestinationProvider().Create(new JsonObject { ["type"] = "duckdb", ["path"] = "budgets.duckdb" }, folder);
            var connector = new ContextConnector();
            var runner = new PipelineRunner(new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero)));

            await runner.RunAsync(new SyncJob { Pipeline = "a", Connector = connector, SourceConfig = new JsonObject(), Streams = ["items"] }, destination);
            await runner.RunAsync(new SyncJob { Pipeline = "b", Connector = connector, SourceConfig = new JsonObject(), Streams = ["items"] }, destination);

            Assert.Equal(2, connector.Budgets.Count);
            Assert.All(connector.Budgets, b => Assert.Same(ProcessRateBudgets.Shared, b));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class ContextConnector : SourceConnector
    {
        public List<RateBudgets?> Budgets { get; } = [];

        public override string Name => "budgets";

        public override string ConfigSchema => """{ "type": "object" }""";

        public override IReadOnlyList<StreamDescriptor> Streams { get; } =
            [new StreamDescriptor { Name = "items", PrimaryKey = ["id"], JsonSchema = """{ "type": "object", "properties": { "id": { "type": "integer" } } }""" }];

        public override ValueTask<SourceSession> ConnectAsync(SourceContext context, CancellationToken cancellationToken = default)
        {
            Budgets.Add(context.RateBudgets);
            return ValueTask.FromResult<SourceSession>(new Session());
        }

        private sealed class Session : SourceSession
        {
            public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                await Task.Yield();
                yield return new SourceRecord("items", new JsonObject { ["id"] = 1 });
            }
        }
    }
}
