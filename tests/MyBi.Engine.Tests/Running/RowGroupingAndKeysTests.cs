using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Streams;
using MyBi.Destinations.DuckDb;
using MyBi.Engine.Running;
using MyBi.Engine.Schema;
using MyBi.Engine.State;
using static MyBi.Engine.Tests.Running.ScriptedConnector;

namespace MyBi.Engine.Tests.Running;

/// <summary>Rows with unusable keys go to the quarantine; a source object and its lines share a batch.</summary>
public sealed class RowGroupingAndKeysTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-grouping-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
    private Destination _destination = null!;

    public Task InitializeAsync()
    {
        _destination = new DuckDbDestinationProvider().Create(new JsonObject { ["type"] = "duckdb", ["path"] = "grouping.duckdb" }, _folder);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _destination.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static SyncJob Job(ScriptedConnector connector, int batchSize, PlanLimits? plan = null) => new()
    {
        Pipeline = "p1",
        Connector = connector,
        SourceConfig = new JsonObject(),
        Streams = ["items", "other"],
        BatchSize = batchSize,
        Plan = plan ?? PlanLimits.Unlimited,
    };

    private async Task<List<object?[]>> RowsAsync(string stream)
    {
        var table = StreamSchemaCompiler.Compile(new ScriptedConnector(_ => []).Streams.Single(s => s.Name == stream)).Table;
        var rows = new List<object?[]>();
        await foreach (var row in _destination.ReadTableAsync(table))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task<List<object?[]>> QuarantineAsync()
    {
        var rows = new List<object?[]>();
        await foreach (var row in _destination.ReadTableAsync(EngineTables.Quarantine))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static SourceMessage WithId(JsonNode? id, bool present = true)
    {
        var data = new JsonObject { ["name"] = "bad", ["price"] = 1 };
        if (present)
        {
            data["id"] = id;
        }

        return new SourceRecord("items", data);
    }

    [Fact]
    public async Task RunAsync_UnusableKeys_GoToQuarantineWithReason_AndTheRunGoesOn()
    {
        var bad = new[]
        {
            WithId(JsonValue.Create("12345678901234567890")),
            WithId(JsonNode.Parse("1e30")),
            WithId(JsonNode.Parse("1.5")),
            WithId(JsonValue.Create("abc")),
            WithId(null),
            WithId(null, present: false),
        };
        var connector = new ScriptedConnector(_ =>
            Enumerable.Range(1, 5).Select(i => Step(Item(i)))
                .Concat(bad.Select(Step))
                .Concat(Enumerable.Range(6, 5).Select(i => Step(Item(i))))
                .Append(Step(new SourceCheckpoint(new JsonObject { ["c"] = 1 }))));

        var result = await new PipelineRunner(_time).RunAsync(Job(connector, batchSize: 3), _destination);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), (await RowsAsync("items")).Select(r => (long)r[0]!).Order());
        var quarantined = await QuarantineAsync();
        Assert.Equal(6, quarantined.Count);
        Assert.All(quarantined, q => Assert.Equal("items", q[1]));
        var errors = quarantined.Select(q => (string)q[3]!).ToList();
        Assert.Equal(2, errors.Count(e => e.Contains("out of", StringComparison.Ordinal)));
        Assert.Equal(2, errors.Count(e => e.Contains("not an integer", StringComparison.Ordinal)));
        Assert.Equal(2, errors.Count(e => e.Contains("has no value", StringComparison.Ordinal)));
        Assert.Contains(quarantined, q => ((string)q[4]!).Contains("\"abc\"", StringComparison.Ordinal));
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("6 row(s)", warning, StringComparison.Ordinal);
        Assert.Contains("_mybi_quarantine", warning, StringComparison.Ordinal);
        Assert.Equal(warning, result.Message);
    }

    [Fact]
    public async Task RunAsync_QuotaStop_NeverSeparatesAnObjectFromItsLines()
    {
        // Each "items" row comes after its three "other" lines, which are marked as continuing the group.
        IEnumerable<Func<Task<SourceMessage?>>> Script(ReadRequest _)
        {
            for (var i = 1; i <= 10; i++)
            {
                for (var j = 1; j <= 3; j++)
                {
                    yield return Step(new SourceRecord("other", new JsonObject { ["id"] = (i * 10) + j, ["name"] = "line" }) { GroupContinues = true });
                }

                yield return Step(Item(i));
            }

            yield return Step(new SourceCheckpoint(new JsonObject { ["c"] = 1 }));
        }

        var result = await new PipelineRunner(_time).RunAsync(Job(new ScriptedConnector(Script), batchSize: 4, plan: new PlanLimits { RowsPerMonth = 10 }), _destination);

        Assert.Equal(RunStatus.QuotaExhausted, result.Status);
        var parents = (await RowsAsync("items")).Select(r => (long)r[0]!).ToHashSet();
        var lines = (await RowsAsync("other")).Select(r => (long)r[0]!).ToList();
        Assert.NotEmpty(parents);
        Assert.All(lines, line => Assert.Contains(line / 10, parents));
        Assert.All(parents, parent => Assert.Equal(3, lines.Count(l => l / 10 == parent)));
    }
}
