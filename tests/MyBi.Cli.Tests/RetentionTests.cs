using System.Globalization;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>
/// <c>mybi retention</c> on every destination: a sandbox period loaded over HTTP with the pinned clock, then a dry run,
/// a retention run, a second one, and a sync over the whole period again.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private const int Days = 10;
    private const string Streams = "[records, record_services, clients]";
    private static readonly DateOnly s_today = TestClock.Today;
    private static readonly DateOnly s_horizon = s_today.AddDays(-Days);
    private static readonly string s_cutoff = s_horizon.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-retention-").FullName;
    private readonly TestWarehouses _warehouses = new("mybi_ret_");
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { Seed = 31, Companies = 1, Today = s_today, TimeProvider = TestClock.Running });
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        await _warehouses.DisposeAsync();

        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public Task Retention_DuckDb_DeletesOldRowsAndChildrenOnlyAndSyncDoesNotBringThemBack() =>
        RunScenarioAsync("duck", "{type: duckdb, path: ./duck.duckdb}", "");

    [Fact]
    public Task Retention_Postgres_DeletesOldRowsAndChildrenOnlyAndSyncDoesNotBringThemBack() =>
        RunScenarioAsync("pg", _warehouses.Postgres(), "");

    [Fact]
    public Task Retention_ClickHouse_DeletesOldRowsAndChildrenOnlyAndSyncDoesNotBringThemBack() =>
        RunScenarioAsync("ch", _warehouses.ClickHouse(), " FINAL");

    [Fact]
    public async Task Validate_RetentionOfUnknownEngineOrUndatedTables_PositionedErrors()
    {
        var path = Path.Combine(_folder, "bad.yaml");
        await File.WriteAllTextAsync(path, $"""
            name: bad
            source:
              connector: yclients
              config: {_pipelines.TokenConfig()}
              streams: {Streams}
            destination: {"{type: duckdb, path: ./bad.duckdb}"}
            retention: {"{days: 30, tables: [records, nope, _mybi_runs, clients, finance_transactions]}"}
            """);

        var result = await CliProcess.RunAsync(_folder, null, "validate", path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("7:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("retention.tables[1]: unknown table 'nope'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("retention.tables[2]: '_mybi_runs' is an engine table", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("retention.tables[3]: stream 'clients' declares no business date", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("retention.tables[4]: stream 'finance_transactions' is not loaded by this pipeline", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("tables[0]", result.Stderr, StringComparison.Ordinal);
    }

    private async Task RunScenarioAsync(string name, string destination, string final)
    {
        // The period is loaded before the pipeline had a retention block: with one, the sync would stop at the horizon.
        var path = Path.Combine(_folder, name + ".yaml");
        var file = $"""
            name: {name}
            source:
              connector: yclients
              config: {_pipelines.TokenConfig()}
              streams: {Streams}
            destination: {destination}
            """;
        await File.WriteAllTextAsync(path, file);
        var from = s_today.AddDays(-25).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = s_today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var oldRecords = $"select count(*) as n from records{final} where datetime < timestamp '{s_cutoff} 00:00:00'";
        var youngRecords = $"select count(*) as n from records{final} where datetime >= timestamp '{s_cutoff} 00:00:00'";
        var oldLines = $"select count(*) as n from record_services{final} where datetime < timestamp '{s_cutoff} 00:00:00'";
        var orphans = $"select count(*) as n from record_services{final} where record_id not in (select id from records{final})";
        var clients = $"select count(*) as n from clients{final}";

        Ok(await CliProcess.RunAsync(_folder, null, "sync", path, "--from", from, "--to", to));
        var old = await CountAsync(path, oldRecords);
        var young = await CountAsync(path, youngRecords);
        var oldServices = await CountAsync(path, oldLines);
        var clientCount = await CountAsync(path, clients);
        Assert.True(old > 0 && young > 0 && oldServices > 0, "the sandbox period does not straddle the horizon: the test proves nothing");
        await File.WriteAllTextAsync(path, file + "\nretention: {days: " + Days + "}\n");

        var dry = Ok(await CliProcess.RunAsync(_folder, null, "retention", path, "--dry-run"));
        Assert.Contains($"dry run: would delete {old + oldServices} row(s) dated before {s_cutoff}", dry.Stdout, StringComparison.Ordinal);
        Assert.Equal(old, await CountAsync(path, oldRecords));
        Assert.Equal(oldServices, await CountAsync(path, oldLines));

        var first = Ok(await CliProcess.RunAsync(_folder, null, "retention", path));
        Assert.Contains($"deleted {old + oldServices} row(s)", first.Stdout, StringComparison.Ordinal);
        Assert.True(first.Stdout.IndexOf("record_services", StringComparison.Ordinal) < first.Stdout.IndexOf("records ", StringComparison.Ordinal), first.Stdout);
        Assert.Equal(0, await CountAsync(path, oldRecords));
        Assert.Equal(0, await CountAsync(path, oldLines));
        Assert.Equal(0, await CountAsync(path, orphans));
        Assert.Equal(young, await CountAsync(path, youngRecords));
        Assert.Equal(clientCount, await CountAsync(path, clients));

        // The counts are a journal entry a BI tool can query, not only a line on the console.
        var journal = Ok(await CliProcess.RunAsync(_folder, null, "journal", path, "--kind", "retention", "--json"));
        Assert.Contains($"\"deleted\":{old}", journal.Stdout.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        var second = Ok(await CliProcess.RunAsync(_folder, null, "retention", path));
        Assert.Contains("deleted 0 row(s)", second.Stdout, StringComparison.Ordinal);

        var resync = Ok(await CliProcess.RunAsync(_folder, null, "sync", path, "--from", from, "--to", to));
        Assert.Contains("before the retention horizon", resync.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(path, oldRecords));
        Assert.Equal(0, await CountAsync(path, oldLines));
        Assert.Equal(young, await CountAsync(path, youngRecords));
    }

    private async Task<long> CountAsync(string pipeline, string sql) =>
        (await _pipelines.QueryOneAsync(pipeline, sql)).GetProperty("n").GetInt64();

    private static CliResult Ok(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

}
