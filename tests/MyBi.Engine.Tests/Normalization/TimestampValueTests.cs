using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Streams;
using MyBi.Destinations.DuckDb;
using MyBi.Engine.Normalization;
using MyBi.Engine.Running;
using MyBi.Engine.Schema;

namespace MyBi.Engine.Tests.Normalization;

/// <summary>A connector that knows a timestamp hands it over as a value; the engine takes it without reading text.</summary>
public sealed class TimestampValueTests
{
    // Sub-second digits that the connector's text form (whole seconds) would lose, at the destinations' microsecond precision.
    private static readonly DateTimeOffset s_stamp = new DateTimeOffset(2024, 3, 1, 15, 0, 0, TimeSpan.FromHours(5)).AddTicks(1_234_560);

    [Fact]
    public void Normalize_TimestampValue_KeepsExactInstantAndOffset()
    {
        var stream = StreamSchemaCompiler.Compile(StampConnector.Descriptor);

        var row = RecordNormalizer.Normalize(stream, new JsonObject { ["id"] = 1, ["at"] = JsonValue.Create(s_stamp), ["day"] = JsonValue.Create(s_stamp) });

        var value = Assert.IsType<DateTimeOffset>(row[stream.Table.IndexOf("at")]);
        Assert.Equal(s_stamp.UtcTicks, value.UtcTicks);
        Assert.Equal(s_stamp.Offset, value.Offset);
        Assert.Equal(new DateOnly(2024, 3, 1), row[stream.Table.IndexOf("day")]);
    }

    [Fact]
    public async Task RunAsync_RowWithTimestampValue_IsStoredWithItsExactInstant()
    {
        var folder = Directory.CreateTempSubdirectory("mybi-stamp-").FullName;
        try
        {
            await using var destination = new DuckDbDestinationProvider().Create(new JsonObject { ["type"] = "duckdb", ["path"] = "stamp.duckdb" }, folder);
            var job = new SyncJob { Pipeline = "p1", Connector = new StampConnector(), SourceConfig = new JsonObject(), Streams = ["stamps"] };

            var result = await new PipelineRunner(new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero))).RunAsync(job, destination);

            Assert.Equal(1, result.RowsByTable["stamps"]);
            var table = StreamSchemaCompiler.Compile(StampConnector.Descriptor).Table;
            var rows = new List<object?[]>();
            await foreach (var row in destination.ReadTableAsync(table))
            {
                rows.Add(row);
            }

            var stored = Assert.IsType<DateTimeOffset>(Assert.Single(rows)[table.IndexOf("at")]);
            Assert.Equal(s_stamp.UtcTicks, stored.UtcTicks);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class StampConnector : SourceConnector
    {
        public static readonly StreamDescriptor Descriptor = new()
        {
            Name = "stamps",
            PrimaryKey = ["id"],
            JsonSchema = """
                { "type": "object", "properties": {
                    "id": { "type": "integer" },
                    "at": { "type": "string", "format": "date-time" },
                    "day": { "type": "string", "format": "date" } } }
                """,
        };

        public override string Name => "stamps";

        public override string ConfigSchema => """{ "type": "object" }""";

        public override IReadOnlyList<StreamDescriptor> Streams { get; } = [Descriptor];

        public override ValueTask<SourceSession> ConnectAsync(SourceContext context, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<SourceSession>(new Session());

        private sealed class Session : SourceSession
        {
            public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                await Task.Yield();
                yield return new SourceRecord("stamps", new JsonObject { ["id"] = 1, ["at"] = JsonValue.Create(s_stamp), ["day"] = JsonValue.Create(s_stamp) });
            }
        }
    }
}
