using System.Globalization;
using System.Text.RegularExpressions;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;
using Xunit.Abstractions;

namespace MyBi.Cli.Tests;

/// <summary>
/// <c>mybi sync --dry-run</c> against the sandbox over HTTP: the estimate of paged streams equals what the sync of the
/// same period then sends, the dry run spends only its probes and the connection, and it writes no DuckDB file.
/// </summary>
public sealed class SyncDryRunTests : IAsyncLifetime
{
    private const string Streams = "[records, record_services, visits, clients, services, staff]";

    private readonly ITestOutputHelper _output;
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-dryrun-").FullName;
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public SyncDryRunTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions
        {
            Seed = 11,
            Companies = 1,
            StaffPerCompany = 3,
            DaysBack = 20,
            Today = TestClock.Today,
            TimeProvider = TestClock.Running,
        });
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task DryRun_EstimatesTheRequestsTheSyncThenSpends_AndWritesNothing()
    {
        // A small page, so that records and clients take several pages each.
        var pipeline = _pipelines.Write("dry", _pipelines.TokenConfig()[..^1] + ", page_size: 7}", Streams);
        var from = D(TestClock.Today.AddDays(-12));
        var to = D(TestClock.Today.AddDays(-3));
        var stats = _server.Stats;

        var before = stats.TotalRequests;
        var recordsBefore = stats.RequestsFor("/records/{company_id}");
        var clientsBefore = stats.RequestsFor("/clients/{company_id}");
        var dry = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", from, "--to", to, "--dry-run");
        _output.WriteLine(dry.ToString());
        Assert.True(dry.ExitCode == 0, dry.ToString());

        // Nothing loaded: no file, no run row.
        Assert.False(File.Exists(Path.Combine(_folder, "dry.duckdb")), "the dry run created the DuckDB file");

        // Only the probes (one per paged list: records, clients) and the connection were spent.
        var spent = Regex.Match(dry.Stdout, @"(\d+) probe requests spent \((\d+) with the connection\)");
        Assert.True(spent.Success, dry.Stdout);
        var probes = long.Parse(spent.Groups[1].Value, CultureInfo.InvariantCulture);
        var withConnection = long.Parse(spent.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.Equal(2, probes);
        Assert.Equal(withConnection, stats.TotalRequests - before);
        Assert.Equal(1, stats.RequestsFor("/records/{company_id}") - recordsBefore);
        Assert.Equal(1, stats.RequestsFor("/clients/{company_id}") - clientsBefore);

        var records = Estimate(dry.Stdout, "records");
        var clients = Estimate(dry.Stdout, "clients");
        Assert.True(records > 1 && clients > 1, "the page is too large for the test to show paging");
        Assert.Equal(0, Estimate(dry.Stdout, "record_services"));
        Assert.Equal(0, Estimate(dry.Stdout, "visits"));
        Assert.Contains("minutes at", dry.Stdout, StringComparison.Ordinal);

        await AssertTheSyncSpendsTheEstimateAsync(dry.Stdout, withConnection - probes, "sync", pipeline, "--from", from, "--to", to);
    }

    [Fact]
    public async Task DryRun_AfterAFirstSync_EstimatesTheIncrementalSyncTheStoredStateImplies()
    {
        var pipeline = _pipelines.Write("dryinc", _pipelines.TokenConfig()[..^1] + ", page_size: 7, first_run_days: 20, lookback_days: 3}", Streams);

        // Before any sync there is no state (and no file): a first load, and the dry run does not create the file.
        var fresh = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--dry-run");
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        Assert.Contains("a first load", fresh.Stdout, StringComparison.Ordinal);
        Assert.Contains("No stored state", fresh.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "dryinc.duckdb")), "the dry run created the DuckDB file");
        var firstLoadRecords = Estimate(fresh.Stdout, "records");

        var first = await CliProcess.RunAsync(_folder, null, "sync", pipeline);
        Assert.True(first.ExitCode == 0, first.ToString());

        // Right after the first sync the sandbox's 5 a second may answer a request of the dry run 429; the connector
        // sends it again, and the connection's cost is what the sandbox served less those refusals and the probes.
        var stats = _server.Stats;
        var before = stats.TotalRequests;
        var limitedBefore = stats.RateLimitedRequests;
        var dry = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--dry-run");
        _output.WriteLine(dry.ToString());
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("the incremental sync the stored state implies", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("Stored state read from", dry.Stdout, StringComparison.Ordinal);
        var spent = Regex.Match(dry.Stdout, @"(\d+) probe requests spent \((\d+) with the connection\)");
        Assert.True(spent.Success, dry.Stdout);
        var probes = long.Parse(spent.Groups[1].Value, CultureInfo.InvariantCulture);
        var connection = stats.TotalRequests - before - (stats.RateLimitedRequests - limitedBefore) - probes;
        var records = Estimate(dry.Stdout, "records");

        // The changes since the cursor (less the lookback) are fewer pages than the first load's 20 days.
        Assert.True(records < firstLoadRecords, $"incremental records {records} vs first load {firstLoadRecords}\n{dry.Stdout}");

        await AssertTheSyncSpendsTheEstimateAsync(dry.Stdout, connection, "sync", pipeline);
    }

    [Fact]
    public async Task DryRun_DestinationThatCannotBeOpened_EstimatesAFirstLoadAndSaysSo()
    {
        // A file that is no DuckDB database cannot be opened; the dry run leaves it as it is.
        var path = Path.Combine(_folder, "notafile.duckdb");
        File.WriteAllText(path, "not a database, just text that is long enough to hold a header");
        var pipeline = _pipelines.Write("drybroken", _pipelines.TokenConfig()[..^1] + ", page_size: 7}", "[records]", database: "notafile");

        var dry = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--dry-run");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("a first load (no --from)", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("could not be opened to read the stored state", dry.Stdout, StringComparison.Ordinal);
        Assert.True(Estimate(dry.Stdout, "records") > 1, dry.Stdout);
        Assert.Equal("not a database, just text that is long enough to hold a header", File.ReadAllText(path));
    }

    [Fact]
    public async Task DryRun_TransactionsAreALowerBound_DocumentsByIdAreUnknown()
    {
        var pipeline = _pipelines.Write("drytx", _pipelines.TokenConfig()[..^1] + ", page_size: 7, documents: {details: true}}", "[finance_transactions, goods_transactions, documents]");
        var from = D(TestClock.Today.AddDays(-15));
        var to = D(TestClock.Today.AddDays(-2));
        var stats = _server.Stats;

        var before = stats.TotalRequests;
        var dry = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", from, "--to", to, "--dry-run");
        _output.WriteLine(dry.ToString());
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.False(File.Exists(Path.Combine(_folder, "drytx.duckdb")), "the dry run created the DuckDB file");

        // Windows are counted, not probed; documents read the records of the period too (one probe for their total).
        Assert.Contains("1 probe requests spent", dry.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s*\|?\s*documents\s*\|?\s+unknown\s", dry.Stdout);
        Assert.Contains("+ unknown", dry.Stdout, StringComparison.Ordinal);

        // 14 days: two windows of 7 days, live and deleted payments read apart.
        var finance = Estimate(dry.Stdout, "finance_transactions");
        var goods = Estimate(dry.Stdout, "goods_transactions");
        Assert.Equal(4, finance);
        Assert.Equal(2, goods);
        var spent = stats.TotalRequests - before;

        var financeBefore = stats.RequestsFor("/transactions/{company_id}");
        var goodsBefore = stats.RequestsFor("/storages/transactions/{company_id}");
        // Documents fetched one by one would only slow the test down: the transactions are what is measured.
        var sync = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", from, "--to", to, "--streams", "finance_transactions,goods_transactions");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.InRange(stats.RequestsFor("/transactions/{company_id}") - financeBefore, finance, long.MaxValue);
        Assert.InRange(stats.RequestsFor("/storages/transactions/{company_id}") - goodsBefore, goods, long.MaxValue);
        Assert.True(spent > 1);
    }

    /// <summary>
    /// Runs the sync and checks that it spends what the dry run estimated: the pages of records and clients exactly,
    /// and in all the estimate plus the <paramref name="connection"/>'s requests. A request the sandbox refused with 429 (its 5 a
    /// second, when the sync starts in a burst) is sent again: it is the same request of the plan, counted twice by the
    /// sandbox.
    /// </summary>
    private async Task AssertTheSyncSpendsTheEstimateAsync(string dryOutput, long connection, params string[] sync)
    {
        var stats = _server.Stats;
        var records = Estimate(dryOutput, "records");
        var clients = Estimate(dryOutput, "clients");
        var total = Estimate(dryOutput, "total");
        var before = stats.TotalRequests;
        var byTemplate = stats.RequestsByTemplate.ToDictionary();
        var limitedBefore = stats.RateLimitedRequests;
        var recordsBefore = stats.RequestsFor("/records/{company_id}");
        var clientsBefore = stats.RequestsFor("/clients/{company_id}");
        var result = await CliProcess.RunAsync(_folder, null, sync);
        Assert.True(result.ExitCode == 0, result.ToString());

        // The pages exactly: the sandbox counts a page it refused with 429 twice (refused, then served), so the count
        // may pass the estimate by those refusals and no more.
        var refused = stats.RateLimitedRequests - limitedBefore;
        var extraRecords = stats.RequestsFor("/records/{company_id}") - recordsBefore - records;
        var extraClients = stats.RequestsFor("/clients/{company_id}") - clientsBefore - clients;
        Assert.True(
            extraRecords >= 0 && extraClients >= 0 && extraRecords + extraClients <= refused,
            $"estimated records {records}, clients {clients}; sent {records + extraRecords} and {clients + extraClients} with {refused} answered 429\n{dryOutput}");
        var spentBy = string.Join(", ", stats.RequestsByTemplate.Where(kv => kv.Value != byTemplate.GetValueOrDefault(kv.Key)).Select(kv => $"{kv.Key} {kv.Value - byTemplate.GetValueOrDefault(kv.Key)}"));
        Assert.True(
            total + connection == stats.TotalRequests - before - (stats.RateLimitedRequests - limitedBefore),
            $"estimated {total} + {connection} for the connection, spent {stats.TotalRequests - before} ({stats.RateLimitedRequests - limitedBefore} answered 429): {spentBy}\n{dryOutput}");
    }

    private static long Estimate(string output, string stream)
    {
        var match = Regex.Match(output, $@"^\s*\|?\s*{stream}\s*\|?\s+([\d,]+)\s", RegexOptions.Multiline);
        Assert.True(match.Success, $"no estimate for {stream} in:\n{output}");
        return long.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
