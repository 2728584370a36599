using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox;
using Xunit.Abstractions;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>
/// A <c>mybi sync</c> killed outright (SIGKILL of the whole process tree, no cancellation) at an early, a middle
/// and a late request, then run again until it succeeds, ends with exactly the tables of one uninterrupted run.
/// </summary>
public sealed class CrashResumeTests : IAsyncLifetime
{
    /// <summary>Every data table with its primary key, the order the row-for-row comparison reads them in.</summary>
    private static readonly (string Table, string Key)[] s_tables =
    [
        ("companies", "id"),
        ("service_categories", "company_id, id"),
        ("services", "company_id, id"),
        ("staff", "company_id, id"),
        ("storages", "company_id, id"),
        ("goods", "company_id, good_id"),
        ("clients", "company_id, id"),
        ("records", "id"),
        ("record_services", "record_id, service_id"),
        ("record_goods", "id"),
        ("visits", "visit_id"),
        ("finance_transactions", "id"),
        ("goods_transactions", "id"),
        ("documents", "id"),
    ];

    private readonly ITestOutputHelper _output;
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-crash-").FullName;
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public CrashResumeTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        // The dataset ends ten days before the real today: every last_change_date is older than the incremental
        // look-back, so the runs after a first run find nothing new and every path ends with the same rows.
        // The history (10 days before the anchor) lies wholly inside the 30-day first-run window, whatever the hour.
        // Several processes run one after another with fresh budgets; the connector keeps itself to 5 requests a
        // second, and the sandbox's own limit would only add 429 waits. Documents of records come without requests
        // of their own, so the clients' pages give the run enough requests to be killed at distinct points.
        _server = await SandboxServer.StartAsync(new SandboxOptions
        {
            Seed = 5,
            Companies = 1,
            StaffPerCompany = 1,
            ClientsPerCompany = 600,
            ServicesPerCompany = 10,
            RecordsPerStaffPerDay = 4,
            DaysBack = 10,
            DaysForward = 5,
            Today = TestClock.Today.AddDays(-10),
            TimeProvider = TestClock.Running,
            RateLimitEnabled = false,
        });
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>
    /// The runs to be killed go at the default 5 requests a second, so the kill lands where it is aimed; the
    /// uninterrupted and the resuming runs may go faster, as the rate changes nothing in what is read.
    /// </summary>
    private string Write(string name, bool fast)
    {
        var rate = fast ? ", requests_per_second: 25, requests_per_minute: 1500" : "";
        return _pipelines.WriteWith(
            name,
            $"{{base_url: \"{_server.BaseUrl}\", partner_token: \"{SandboxCredentials.PartnerToken}\", user_token: \"{SandboxCredentials.UserToken}\", company_id: {_pipelines.CompanyId}, page_size: 20, first_run_days: 30{rate}}}",
            "[" + string.Join(", ", s_tables.Select(t => t.Table)) + "]");
    }

    [Fact]
    public async Task Sync_KilledEarlyMiddleAndLate_ResumesToTheSameRowsAsAnUninterruptedRun()
    {
        var a = Write("whole", fast: true);
        var before = _server.Stats.TotalRequests;
        var whole = await CliProcess.RunAsync(_folder, null, "sync", a);
        Assert.True(whole.ExitCode == 0, whole.ToString());
        var requests = _server.Stats.TotalRequests - before;
        _output.WriteLine($"uninterrupted run: {requests} requests");
        Assert.True(requests >= 50, $"an uninterrupted run took only {requests} requests: too few to kill it at distinct points");
        var expected = await ExportAsync(a);
        Assert.True(expected["records"].GetArrayLength() > 0 && expected["documents"].GetArrayLength() > 0, "the load is empty: the comparison proves nothing");

        foreach (var (label, share) in new[] { ("early", 0.1), ("middle", 0.5), ("late", 0.9) })
        {
            var killAt = Math.Max(2, (long)(requests * share));
            var b = Write("killed_" + label, fast: false);
            await SyncKilledAfterAsync(b, killAt);
            Write("killed_" + label, fast: true);

            var resumedFrom = _server.Stats.TotalRequests;
            var attempts = new List<CliResult>();
            while (attempts.Count < 3 && attempts.LastOrDefault()?.ExitCode is not 0)
            {
                attempts.Add(await CliProcess.RunAsync(_folder, null, "sync", b));
            }

            Assert.True(attempts[^1].ExitCode == 0, $"{label}: the run after the kill did not succeed\n{string.Join("\n", attempts)}");
            var actual = await ExportAsync(b);
            foreach (var (table, _) in s_tables)
            {
                AssertSameRows(label, table, expected[table], actual[table]);
            }

            var runs = await _pipelines.QueryAsync(b, "select status, finished_at from _mybi_runs order by started_at");
            var statuses = runs.EnumerateArray().Select(r => r.GetProperty("status").GetString()).ToList();
            Assert.True(statuses.Count >= 2 && statuses[0] == "running" && statuses[^1] == "succeeded", $"{label}: runs {string.Join(", ", statuses)}");
            Assert.Equal(JsonValueKind.Null, runs[0].GetProperty("finished_at").ValueKind);
            _output.WriteLine($"{label}: killed after {killAt} requests, resumed with {_server.Stats.TotalRequests - resumedFrom}; runs {string.Join(", ", statuses)}");
        }
    }

    /// <summary>Starts a sync and kills its process tree once the sandbox has served <paramref name="killAt"/> more requests.</summary>
    private async Task SyncKilledAfterAsync(string pipeline, long killAt)
    {
        var baseline = _server.Stats.TotalRequests;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Path.Combine(CliProcess.CliDirectory, "mybi.dll"));
        info.ArgumentList.Add("sync");
        info.ArgumentList.Add(pipeline);
        info.Environment.Remove("MYBI_PLUGINS_PATH");
        info.Environment["MYBI_NOW"] = TestClock.EngineNow;

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            while (_server.Stats.TotalRequests - baseline < killAt && !process.HasExited)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), timeout.Token);
            }

            if (process.HasExited)
            {
                Assert.Fail($"the sync ended by itself (exit {process.ExitCode}) before it could be killed at request {killAt}:\n{await stdout}\n{await stderr}");
            }

            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        // A killed process gets no say: SIGKILL ends it with 128 + 9, nothing the CLI chose.
        Assert.Equal(137, process.ExitCode);
        await stdout;
        await stderr;
    }

    /// <summary>Every data table (not the views) as the JSON array <c>mybi query --json</c> prints, ordered by primary key.</summary>
    private async Task<Dictionary<string, JsonElement>> ExportAsync(string pipeline)
    {
        var tables = await _pipelines.QueryAsync(pipeline, "select table_name from information_schema.tables where table_type = 'BASE TABLE' and not starts_with(table_name, '_mybi_') order by table_name");
        Assert.Equal(s_tables.Select(t => t.Table).Order(StringComparer.Ordinal), tables.EnumerateArray().Select(t => t.GetProperty("table_name").GetString()!));
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (table, key) in s_tables)
        {
            // _loaded_at is when a run wrote the row: a resumed load rightly differs there, and only there.
            result[table] = await _pipelines.QueryAsync(pipeline, $"select * exclude (_loaded_at) from {table} order by {key}", limit: 1_000_000);
        }

        return result;
    }

    private static void AssertSameRows(string label, string table, JsonElement expected, JsonElement actual)
    {
        var want = expected.EnumerateArray().Select(r => r.GetRawText()).ToList();
        var got = actual.EnumerateArray().Select(r => r.GetRawText()).ToList();
        var first = Enumerable.Range(0, Math.Min(want.Count, got.Count)).FirstOrDefault(i => want[i] != got[i], -1);
        Assert.True(
            want.Count == got.Count && first < 0,
            string.Create(CultureInfo.InvariantCulture, $"{label}: table {table} differs: {want.Count} rows uninterrupted, {got.Count} after the kill")
                + (first >= 0 ? $"; first different row #{first}:\n{want[first]}\n{got[first]}" : ""));
    }
}
