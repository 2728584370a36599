using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;
using Npgsql;

namespace MyBi.Cli.Tests;

/// <summary>
/// <c>mybi reconcile</c> against the sandbox over HTTP with the pinned clock: a synced week is changed behind the
/// engine's back in the warehouse (a cost, a deleted row, a phantom row, an attendance) and silently at the source (a
/// past cost an incremental sync cannot see). A dry run names exactly those rows and changes nothing; a reconcile
/// reloads the differing days and checks them again; a second reconcile finds nothing.
/// </summary>
public sealed partial class ReconcileTests : IAsyncLifetime
{
    private const int Window = 7;
    private const long PhantomId = 9_000_000_001;
    private const string Streams = "[records, record_services, record_goods, finance_transactions, goods_transactions]";
    private static readonly DateOnly s_today = TestClock.Today;

    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-reconcile-").FullName;
    private readonly TestWarehouses _warehouses = new("mybi_rec_");
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { Seed = 23, Companies = 1, DaysBack = 14, Today = s_today, TimeProvider = TestClock.Running });
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        await _warehouses.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public Task Reconcile_DuckDb_NamesExactlyTheChangedRowsReloadsThemAndThenMatches() =>
        RunScenarioAsync("duck", $"{{type: duckdb, path: ./{_warehouses.Unique}.duckdb}}", new DuckSql(Path.Combine(_folder, _warehouses.Unique + ".duckdb")));

    [Fact]
    public Task Reconcile_Postgres_NamesExactlyTheChangedRowsReloadsThemAndThenMatches() =>
        RunScenarioAsync("pg", _warehouses.Postgres(), new PostgresSql(TestWarehouses.Required("MYBI_TEST_POSTGRES", "postgres"), _warehouses.Unique));

    [Fact]
    public Task Reconcile_ClickHouse_NamesExactlyTheChangedRowsReloadsThemAndThenMatches() =>
        RunScenarioAsync("ch", _warehouses.ClickHouse(), new ClickHouseSql(TestWarehouses.Required("MYBI_TEST_CLICKHOUSE", "clickhouse"), _warehouses.Unique));

    [Fact]
    public async Task Validate_ReconcileOfUnknownOrUnloadedStreams_PositionedErrors()
    {
        var path = Path.Combine(_folder, "bad.yaml");
        await File.WriteAllTextAsync(path, $"""
            name: bad
            source:
              connector: yclients
              config: {_pipelines.TokenConfig()}
              streams: [records, record_services]
            destination: {"{type: duckdb, path: ./bad.duckdb}"}
            reconcile: {"{streams: [records, nope, finance_transactions], window_days: 7}"}
            """);

        var result = await CliProcess.RunAsync(_folder, null, "validate", path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("reconcile.streams[1]: unknown stream 'nope'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("reconcile.streams[2]: stream 'finance_transactions' is not loaded by this pipeline", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("streams[0]", result.Stderr, StringComparison.Ordinal);
    }

    private async Task RunScenarioAsync(string name, string destination, IWarehouseSql sql)
    {
        var company = _pipelines.CompanyId;
        var path = Path.Combine(_folder, name + ".yaml");
        await File.WriteAllTextAsync(path, $"""
            name: {name}
            source:
              connector: yclients
              config: {_pipelines.TokenConfig()[..^1]}, lookback_days: 0{"}"}
              streams: {Streams}
            destination: {destination}
            reconcile: {"{window_days: " + Window + ", reload: true}"}
            """);
        var from = s_today.AddDays(1 - Window);
        var (sync, syncRequests) = await ServedAsync(() => CliProcess.RunAsync(_folder, null, "sync", path, "--from", Iso(from), "--to", Iso(s_today)));

        // One record per past day of the window, so each change lands on a day of its own.
        var records = Enumerable.Range(1, 5).Select(back => _server.Data.Records(company)
            .First(r => !r.Deleted && r.Day == s_today.AddDays(-back) && r.Services.Count > 0 && r.Attendance == 1)).ToList();
        var (silent, costed, removed, phantomDay, attended) = (records[0], records[1], records[2], s_today.AddDays(-4), records[4]);
        var silentLine = silent.Services[0];
        var costedLine = costed.Services[0];

        // At the source: a past cost changes without its last_change_date, so an incremental sync (without a lookback,
        // which would re-read the last days by chance) does not see it.
        _server.Data.ChangeServiceCostSilently(company, silent.Id, silentLine.ServiceId, silentLine.Cost + 55.5m);
        Ok(await CliProcess.RunAsync(_folder, null, "sync", path));
        Assert.Equal(silentLine.Cost, await sql.DecimalAsync($"select cost from record_services{sql.Final} where record_id = {silent.Id} and service_id = {silentLine.ServiceId}"));

        // In the warehouse, behind the engine's back.
        await sql.UpdateAsync("record_services", "cost", "cost + 100", $"record_id = {costed.Id} and service_id = {costedLine.ServiceId}");
        await sql.ExecuteAsync($"delete from records where id = {removed.Id}");
        await sql.ExecuteAsync($"insert into finance_transactions (id, company_id, date_local, amount, deleted) values ({PhantomId}, {company}, '{Iso(phantomDay)}', 777, false)");
        await sql.UpdateAsync("records", "attendance", "-1", $"id = {attended.Id}");
        var expected = new HashSet<string>(StringComparer.Ordinal)
        {
            Finding("record_services", silent.Day, "changed", $"record_id={silent.Id}, service_id={silentLine.ServiceId}", "cost", silentLine.Cost, silentLine.Cost + 55.5m),
            Finding("record_services", costed.Day, "changed", $"record_id={costed.Id}, service_id={costedLine.ServiceId}", "cost", costedLine.Cost + 100, costedLine.Cost),
            Finding("records", removed.Day, "missing", $"id={removed.Id}", null, null, null),
            Finding("finance_transactions", phantomDay, "extra", $"id={PhantomId}", null, null, null),
            Finding("records", attended.Day, "changed", $"id={attended.Id}", "attendance", -1L, 1L),
        };

        var (dry, dryRequests) = await ServedAsync(() => CliProcess.RunAsync(_folder, null, "reconcile", path, "--dry-run"));
        Assert.StartsWith("dry run: comparing records, record_services", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{Iso(from)}..{Iso(s_today)}", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("5 differ (1 missing, 1 extra, 3 changed row(s))", dry.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("reloaded", dry.Stdout, StringComparison.Ordinal);
        Assert.Equal(expected, await FindingsAsync(path, RunId(dry.Stdout)));
        Assert.True(dryRequests <= syncRequests, $"the comparison took {dryRequests} requests (it printed {CompareRequests(dry.Stdout)}), more than a sync of the period: {syncRequests} (it printed {SyncRequests(sync.Stdout)}):\n{dry.Stdout}");
        Assert.Equal(0L, await sql.LongAsync($"select count(*) from records{sql.Final} where id = {removed.Id}"));
        Assert.Equal(-1L, await sql.LongAsync($"select attendance from records{sql.Final} where id = {attended.Id}"));
        Assert.Equal(0L, await sql.LongAsync($"select count(*) from finance_transactions{sql.Final} where id = {PhantomId} and deleted = true"));

        var reconcile = Ok(await CliProcess.RunAsync(_folder, null, "reconcile", path));
        Assert.Contains("5 differ (1 missing, 1 extra, 3 changed row(s))", reconcile.Stdout, StringComparison.Ordinal);
        Assert.Contains("reloaded 5 day(s)", reconcile.Stdout, StringComparison.Ordinal);
        Assert.Contains("second check: matched", reconcile.Stdout, StringComparison.Ordinal);
        Assert.Equal(expected, await FindingsAsync(path, RunId(reconcile.Stdout)));
        Assert.Equal(silentLine.Cost + 55.5m, await sql.DecimalAsync($"select cost from record_services{sql.Final} where record_id = {silent.Id} and service_id = {silentLine.ServiceId}"));
        Assert.Equal(costedLine.Cost, await sql.DecimalAsync($"select cost from record_services{sql.Final} where record_id = {costed.Id} and service_id = {costedLine.ServiceId}"));
        Assert.Equal(1L, await sql.LongAsync($"select count(*) from records{sql.Final} where id = {removed.Id}"));
        Assert.Equal(1L, await sql.LongAsync($"select attendance from records{sql.Final} where id = {attended.Id}"));
        Assert.Equal(1L, await sql.LongAsync($"select count(*) from finance_transactions{sql.Final} where id = {PhantomId} and deleted = true"));

        var second = Ok(await CliProcess.RunAsync(_folder, null, "reconcile", path));
        Assert.Contains(": 0 differ (0 missing, 0 extra, 0 changed row(s))", second.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("reloaded", second.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs a command and counts the requests the sandbox served it, less those it refused with 429: a refused request
    /// is sent again and would count twice, so the comparison of two runs would depend on the rate limiter's timing.
    /// </summary>
    private async Task<(CliResult Result, long Requests)> ServedAsync(Func<Task<CliResult>> run)
    {
        var (total, refused) = (_server.Stats.TotalRequests, _server.Stats.RateLimitedRequests);
        var result = Ok(await run());
        return (result, _server.Stats.TotalRequests - total - (_server.Stats.RateLimitedRequests - refused));
    }

    /// <summary>The named rows of one run's journal entries, as comparable lines.</summary>
    private async Task<HashSet<string>> FindingsAsync(string path, string runId)
    {
        var journal = Ok(await CliProcess.RunAsync(_folder, null, "journal", path, "--kind", "reconcile", "--json"));
        var findings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in JsonDocument.Parse(journal.Stdout).RootElement.EnumerateArray())
        {
            if (!entry.TryGetProperty("run_id", out var run) || run.GetString() != runId || !entry.TryGetProperty("details", out var found) || found is not { ValueKind: JsonValueKind.Object } details || !details.TryGetProperty("table", out _) || !details.TryGetProperty("rows", out var rows))
            {
                continue;
            }

            Assert.Equal(0, details.GetProperty("more_rows").GetInt64());
            foreach (var row in rows.EnumerateArray())
            {
                findings.Add(Finding(
                    details.GetProperty("table").GetString()!,
                    DateOnly.ParseExact(details.GetProperty("day").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    row.GetProperty("kind").GetString()!,
                    row.GetProperty("key").GetString()!,
                    row.TryGetProperty("field", out var field) ? field.GetString() : null,
                    row.TryGetProperty("warehouse", out var warehouse) ? Value(warehouse) : null,
                    row.TryGetProperty("source", out var source) ? Value(source) : null));
            }
        }

        return findings;
    }

    private static object? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDecimal(),
        JsonValueKind.Null => null,
        _ => value.ToString(),
    };

    private static string Finding(string table, DateOnly day, string kind, string key, string? field, object? warehouse, object? source) =>
        string.Create(CultureInfo.InvariantCulture, $"{table} {Iso(day)} {kind} {key} {field} {Number(warehouse)} -> {Number(source)}");

    private static string Number(object? value) => value switch
    {
        null => "null",
        decimal d => (d / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static string RunId(string stdout) => RunIdPattern().Match(stdout) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("no run id in:\n" + stdout);

    private static long CompareRequests(string stdout) => long.Parse(ComparePattern().Match(stdout).Groups[1].Value, CultureInfo.InvariantCulture);

    private static long SyncRequests(string stdout) => long.Parse(SyncRequestsPattern().Match(stdout).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static CliResult Ok(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    [GeneratedRegex(@"([\d,]+) API requests")]
    private static partial Regex SyncRequestsPattern();

    [GeneratedRegex(@"succeeded, run ([0-9a-f]{32})")]
    private static partial Regex RunIdPattern();

    [GeneratedRegex(@"with (\d+) request\(s\)")]
    private static partial Regex ComparePattern();

    /// <summary>SQL on the warehouse, behind the engine's back.</summary>
    private interface IWarehouseSql
    {
        /// <summary>What follows a table's name in a query to see one current row per key.</summary>
        string Final => "";

        Task ExecuteAsync(string sql);

        Task UpdateAsync(string table, string column, string expression, string where) =>
            ExecuteAsync($"update {table} set {column} = {expression} where {where}");

        Task<object?> ScalarAsync(string sql);

        async Task<long> LongAsync(string sql) => Convert.ToInt64(await ScalarAsync(sql), CultureInfo.InvariantCulture);

        async Task<decimal> DecimalAsync(string sql) => Convert.ToDecimal(await ScalarAsync(sql), CultureInfo.InvariantCulture);
    }

    private sealed class DuckSql(string file) : IWarehouseSql
    {
        public async Task ExecuteAsync(string sql)
        {
            await using var connection = new DuckDBConnection($"Data Source={file}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }

        public async Task<object?> ScalarAsync(string sql)
        {
            await using var connection = new DuckDBConnection($"Data Source={file}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync();
        }
    }

    private sealed class ClickHouseSql(string connection, string database) : IWarehouseSql
    {
        private readonly string _connection = connection + ";Database=" + database;

        public string Final => " FINAL";

        public async Task ExecuteAsync(string sql)
        {
            using var client = new ClickHouse.Driver.ClickHouseClient(_connection);
            await client.ExecuteNonQueryAsync(sql, null!, null!, default);
        }

        // A newer version of the row, as a change by anyone else would be stored.
        public Task UpdateAsync(string table, string column, string expression, string where) =>
            ExecuteAsync($"insert into {table} select * replace ({expression} as {column}, _mybi_version + 1 as _mybi_version) from {table} final where {where}");

        public async Task<object?> ScalarAsync(string sql)
        {
            using var client = new ClickHouse.Driver.ClickHouseClient(_connection);
            return await client.ExecuteScalarAsync(sql, null!, null!, default);
        }
    }

    private sealed class PostgresSql(string connection, string schema) : IWarehouseSql
    {
        private readonly string _connection = connection + ";Search Path=" + schema;

        public async Task ExecuteAsync(string sql)
        {
            await using var open = new NpgsqlConnection(_connection);
            await open.OpenAsync();
            await using var command = new NpgsqlCommand(sql, open);
            await command.ExecuteNonQueryAsync();
        }

        public async Task<object?> ScalarAsync(string sql)
        {
            await using var open = new NpgsqlConnection(_connection);
            await open.OpenAsync();
            await using var command = new NpgsqlCommand(sql, open);
            return await command.ExecuteScalarAsync();
        }
    }
}
