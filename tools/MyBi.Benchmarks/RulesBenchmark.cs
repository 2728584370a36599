using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Streams;
using MyBi.Destinations.DuckDb;
using MyBi.Engine.Normalization;
using MyBi.Engine.Schema;
using MyBi.Rules;

namespace MyBi.Benchmarks;

/// <summary>
/// Rows/s of the same load into DuckDB with and without a simple mapping rule, in one run: the cost of a rule
/// is the difference. Source rows are generated in batches, never all at once.
/// </summary>
public static class RulesBenchmark
{
    private const int WarmUpRows = 50_000;

    // Measured rows get ids from 1,700,000,000 on; the warm-up's are far below, so both passes insert new keys.
    private const long FirstMeasuredId = 1_700_000_000L;
    private const long FirstWarmUpId = 1_000_000_000L;

    private const string Schema = """
        { "type": "object", "properties": {
            "id": { "type": "integer" }, "company_id": { "type": "integer" },
            "datetime": { "type": "string", "format": "date-time" },
            "cost": { "type": "number", "format": "decimal" },
            "attendance": { "type": "integer" }, "deleted": { "type": "boolean" },
            "staff": { "type": "object", "properties": { "id": { "type": "integer" }, "name": { "type": "string" } } },
            "client": { "type": "object", "properties": { "id": { "type": "integer" }, "phone": { "type": "string" } } } } }
        """;

    private const string Rule = """
        declare('records_mapped', {
          columns: { id: 'int64', company_id: 'int64', datetime: 'timestamp', cost: 'decimal', came: 'boolean',
                     staff_name: 'string', client_id: 'int64' },
          key: ['id'],
        });
        function transform(row, ctx) {
          if (row.deleted) return;
          emit('records_mapped', { id: row.id, company_id: row.company_id, datetime: row.datetime, cost: row.cost,
            came: row.attendance === 1, staff_name: row.staff.name, client_id: row.client.id });
        }
        """;

    public static async Task RunAsync(int rows, int batchSize, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("mybi-bench-rules-").FullName;
        try
        {
            await using var destination = new DuckDbDestinationProvider().Create(new JsonObject { ["type"] = "duckdb", ["path"] = "bench.duckdb" }, folder);
            var stream = StreamSchemaCompiler.Compile(new StreamDescriptor { Name = "records_plain", JsonSchema = Schema, PrimaryKey = ["id"] });
            await destination.EnsureTableAsync(stream.Table, cancellationToken).ConfigureAwait(false);
            using var runner = new RuleRunner(RuleScript.Parse(Rule, "bench.js"), SandboxLimits.Default, new RuleContext("bench", DateOnly.FromDateTime(DateTime.UnixEpoch)));
            foreach (var table in runner.Tables)
            {
                await destination.EnsureTableAsync(table, cancellationToken).ConfigureAwait(false);
            }

            // Both paths once over their own keys first, so neither pays for JIT compilation in the measured pass;
            // the rule's path runs far more code (the script interpreter) and would pay more of it.
            var warmUpRows = Math.Min(rows, WarmUpRows);
            await PassAsync(destination, stream, runner, FirstWarmUpId, warmUpRows, batchSize, cancellationToken).ConfigureAwait(false);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rules benchmark: {rows:N0} record-shaped rows into DuckDB, batches of {batchSize:N0}, after a warm-up pass of {warmUpRows:N0} rows"));
            var (plain, ruled, normalizing, transforming, written) = await PassAsync(destination, stream, runner, FirstMeasuredId, rows, batchSize, cancellationToken).ConfigureAwait(false);
            var plainRate = rows / plain.TotalSeconds;
            var ruledRate = rows / ruled.TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"without rules: {plainRate,12:N0} rows/s  ({plain.TotalSeconds:N1} s)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"with a rule:   {ruledRate,12:N0} rows/s  ({ruled.TotalSeconds:N1} s, {written:N0} rows emitted)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"of which normalizing {normalizing.TotalSeconds:N1} s, running the rule {transforming.TotalSeconds:N1} s; the rest is writing"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio with/without: {ruledRate / plainRate:N2} = the rule costs {1 - ruledRate / plainRate:P0} of the throughput (goal: under 30 %, a ratio above 0.70)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024):N0} MB"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(TimeSpan Plain, TimeSpan Ruled, TimeSpan Normalizing, TimeSpan Transforming, long Written)> PassAsync(
        Destination destination, CompiledStream stream, RuleRunner runner, long firstId, int rows, int batchSize, CancellationToken cancellationToken)
    {
        var plain = TimeSpan.Zero;
        var ruled = TimeSpan.Zero;
        var normalizing = TimeSpan.Zero;
        var transforming = TimeSpan.Zero;
        long written = 0;
        for (var start = 0; start < rows; start += batchSize)
        {
            var batch = Generate(firstId, start, Math.Min(batchSize, rows - start));

            // Both paths get the same batch, one after the other, so machine noise hits them alike.
            var clock = Stopwatch.StartNew();
            var normalized = batch.Select(r => RecordNormalizer.Normalize(stream, r)).ToArray();
            normalizing += clock.Elapsed;
            await destination.WriteAsync(new RecordBatch(stream.Table, normalized), WriteMode.Merge, cancellationToken).ConfigureAwait(false);
            plain += clock.Elapsed;

            clock.Restart();
            var result = runner.Run(batch, r => r["id"]!.ToJsonString(), cancellationToken);
            transforming += clock.Elapsed;
            foreach (var table in result.Tables.Values)
            {
                await destination.WriteAsync(table, WriteMode.Merge, cancellationToken).ConfigureAwait(false);
                written += table.Count;
            }

            ruled += clock.Elapsed;
        }

        return (plain, ruled, normalizing, transforming, written);
    }

    private static List<JsonObject> Generate(long firstId, int start, int count)
    {
        var rows = new List<JsonObject>(count);
        for (var i = start; i < start + count; i++)
        {
            rows.Add(new JsonObject
            {
                ["id"] = firstId + i,
                ["company_id"] = 100001,
                ["datetime"] = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.FromHours(3)).AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                ["cost"] = (i % 9000 + 500) / 100m,
                ["attendance"] = i % 4 == 0 ? -1 : 1,
                ["deleted"] = i % 50 == 0,
                ["staff"] = new JsonObject { ["id"] = 1000 + i % 12, ["name"] = "Мастер " + (i % 12) },
                ["client"] = new JsonObject { ["id"] = 5000 + i % 3000, ["phone"] = "+7916" + (1000000 + i % 3000) },
            });
        }

        return rows;
    }
}
