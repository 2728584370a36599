using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Engine.Running;
using MyBi.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MyBi.Server;
using MyBi.Server.Status;
using MyBi.Testing;
using Npgsql;

namespace MyBi.Cli.Tests;

/// <summary>
/// The status page of <c>mybi serve</c> in a real headless Chromium (Debian's package, driven by Playwright), and
/// <c>/metrics</c> scraped while runs, API requests and webhook events happen.
/// </summary>
public sealed class StatusPageTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-status-").FullName;
    private readonly HttpClient _http = new();
    private readonly StringBuilder _serverLog = new();
    private readonly TestWarehouses _warehouses = new("status");
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSandboxes.StartAsync(seed: 11, clients: 40, daysBack: 5, daysForward: 2);
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _warehouses.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task StatusPage_InChromium_ListsPipelineShowsCliRunDrawsChartAndEscapesJournal()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is not installed: apt-get install -y chromium (.ci/run does).");
        var destination = _warehouses.Postgres();
        var path = _pipelines.WriteTo("shop", _pipelines.TokenConfig(), "[records, record_services, clients]", destination);
        var url = await CliProcess.RunAsync(_folder, null, "hooks", "url", path);
        Assert.True(url.ExitCode == 0, url.ToString());

        var port = ServeProcesses.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        using var serve = Start(path, port);
        try
        {
            await ServeProcesses.WaitListeningAsync(serve, port, _serverLog);

            // A run started from the command line while the server runs.
            var sync = await CliProcess.RunAsync(_folder, null, "sync", path);
            Assert.True(sync.ExitCode == 0, sync.ToString());
            var connection = Environment.GetEnvironmentVariable("MYBI_TEST_POSTGRES")!;
            var (runId, rowsByTable) = await LastSyncAsync(connection);
            Assert.NotEmpty(rowsByTable);

            // A journal message with markup and a secret in it: the page shows it as text, masked.
            var hostile = $"<img id=\"injected\" src=\"x\"> token {SandboxCredentials.UserToken} <script>document.title='owned'</script>";
            await AppendJournalAsync(connection, "warning", hostile);
            await AppendJournalAsync(connection, "reconcile", "2026-11-10 records: 3 in the source, 2 in the destination");

            // One webhook event, committed before it is answered.
            var hook = $"{baseUrl}/hooks/shop/{url.Stdout.Trim().Split('/')[^1]}";
            var body = new JsonObject { ["company_id"] = _pipelines.CompanyId, ["resource"] = "loyalty_card", ["resource_id"] = 7, ["status"] = "create", ["data"] = new JsonObject { ["id"] = 7 } }.ToJsonString();
            Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync(hook, new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode);
            var hooks = JsonNode.Parse(await _http.GetStringAsync($"{baseUrl}/api/pipelines/shop/webhooks"))!;
            Assert.Equal(1, (long)hooks["applied"]! + (long)hooks["unapplied"]!);

            await using var browser = await LaunchAsync();
            var page = await browser.NewPageAsync();
            var failed = new List<string>();
            page.RequestFailed += (_, request) => failed.Add(request.Url);
            page.Request += (_, request) =>
            {
                if (!request.Url.StartsWith(baseUrl, StringComparison.Ordinal))
                {
                    failed.Add("outside: " + request.Url);
                }
            };
            await page.GotoAsync(baseUrl + "/");
            await page.WaitForSelectorAsync("body[data-loaded]");

            Assert.Equal("shop", (await page.TextContentAsync("#pipelines td.pipeline-name"))?.Trim());
            Assert.Equal("succeeded", (await page.TextContentAsync("#jobs tr[data-job='sync'] td:nth-child(3)"))?.Trim());
            var tablesCell = await page.TextContentAsync("#jobs tr[data-job='sync'] td:nth-child(5)") ?? string.Empty;
            foreach (var (table, rows) in rowsByTable)
            {
                Assert.Contains($"{table}: {rows.ToString("N0", CultureInfo.GetCultureInfo("en-US"))}", tablesCell, StringComparison.Ordinal);
            }

            Assert.Equal("—", (await page.TextContentAsync("#jobs tr[data-job='sync'] td:nth-child(6)"))?.Trim());
            Assert.Equal(1, await page.Locator($"#runs tr[data-run-id='{runId}']").CountAsync());
            Assert.Equal("1", (await page.TextContentAsync("#webhooks tbody td:nth-child(3)"))?.Trim());

            // The chart: one bar per loaded table on the run's day, each tagged with its table.
            var bars = page.Locator("#chart svg rect.bar");
            Assert.True(await bars.CountAsync() >= rowsByTable.Count(kv => kv.Value > 0));
            var drawn = new HashSet<string>(StringComparer.Ordinal);
            foreach (var bar in await bars.AllAsync())
            {
                drawn.Add(await bar.GetAttributeAsync("data-table") ?? string.Empty);
                Assert.True(double.Parse(await bar.GetAttributeAsync("height") ?? "0", CultureInfo.InvariantCulture) > 0);
            }

            Assert.Superset(rowsByTable.Where(kv => kv.Value > 0).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal), drawn);

            // Journal and findings: the hostile message is text, masked, and added no element or script.
            var journal = await page.TextContentAsync("#journal") ?? string.Empty;
            Assert.Contains("<img id=\"injected\"", journal, StringComparison.Ordinal);
            Assert.DoesNotContain(SandboxCredentials.UserToken, await page.ContentAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#injected").CountAsync());
            Assert.NotEqual("owned", await page.TitleAsync());
            Assert.Contains("3 in the source, 2 in the destination", await page.TextContentAsync("#findings") ?? string.Empty, StringComparison.Ordinal);

            // Filtered by kind: only the warning is left.
            await page.SelectOptionAsync("#journal-kind", "warning");
            await page.WaitForSelectorAsync("body[data-loaded='2']");
            var kinds = await page.Locator("#journal tbody tr td:nth-child(3)").AllTextContentsAsync();
            Assert.NotEmpty(kinds);
            Assert.All(kinds, k => Assert.Equal("warning", k.Trim()));
            Assert.DoesNotContain("3 in the source", await page.TextContentAsync("#journal") ?? string.Empty, StringComparison.Ordinal);
            Assert.Empty(failed);
        }
        finally
        {
            await ServeProcesses.StopAsync(serve);
        }
    }

    [Fact]
    public async Task StatusPage_DuckDbFileHeldByAnotherProcess_SaysItIsLocked()
    {
        // A serve process that receives webhooks holds the DuckDB file as its writer; a second one shows the page.
        var path = _pipelines.WriteTo("held", _pipelines.TokenConfig(), "[records]", "{type: duckdb, path: ./held.duckdb}");
        var url = await CliProcess.RunAsync(_folder, null, "hooks", "url", path);
        Assert.True(url.ExitCode == 0, url.ToString());
        var sync = await CliProcess.RunAsync(_folder, null, "sync", path);
        Assert.True(sync.ExitCode == 0, sync.ToString());

        var holderPort = ServeProcesses.FreePort();
        using var holder = Start(path, holderPort);
        var readerPort = ServeProcesses.FreePort();
        Process? reader = null;
        try
        {
            await ServeProcesses.WaitListeningAsync(holder, holderPort, _serverLog);
            reader = Start(path, readerPort);
            await ServeProcesses.WaitListeningAsync(reader, readerPort, _serverLog);
            var runs = JsonNode.Parse(await _http.GetStringAsync($"http://127.0.0.1:{readerPort}/api/pipelines/held/runs"))!;
            Assert.False((bool)runs["available"]!);
            Assert.True((bool)runs["locked"]!);
            Assert.Contains("locked", (string?)runs["message"], StringComparison.Ordinal);

            // The holder itself reads its own file.
            var own = JsonNode.Parse(await _http.GetStringAsync($"http://127.0.0.1:{holderPort}/api/pipelines/held/runs"))!;
            Assert.True((bool)own["available"]!, own.ToJsonString());
            Assert.Equal("succeeded", (string?)own["last"]!["sync"]!["status"]);
            var chart = JsonNode.Parse(await _http.GetStringAsync($"http://127.0.0.1:{holderPort}/api/pipelines/held/chart"))!;
            Assert.True((bool)chart["available"]!, chart.ToJsonString());
            var records = chart["points"]!.AsArray().Single(p => (string?)p!["table"] == "records")!;
            Assert.Equal((long)own["last"]!["sync"]!["tables"]!["records"]!, (long)records["rows"]!);
            Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", (string?)records["day"]);
            var journal = JsonNode.Parse(await _http.GetStringAsync($"http://127.0.0.1:{holderPort}/api/pipelines/held/journal?kind=sync"))!;
            Assert.All(journal["entries"]!.AsArray(), e => Assert.Equal("sync", (string?)e!["kind"]));
            Assert.NotEmpty(journal["entries"]!.AsArray());
            Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync($"http://127.0.0.1:{holderPort}/api/pipelines/held/journal?kind=x'%20OR%20'1")).StatusCode);

            await using var browser = await LaunchAsync();
            var page = await browser.NewPageAsync();
            await page.GotoAsync($"http://127.0.0.1:{readerPort}/");
            await page.WaitForSelectorAsync("body[data-loaded]");
            Assert.Equal("true", await page.GetAttributeAsync("#destination-state", "data-locked"));
            Assert.StartsWith("Locked:", (await page.TextContentAsync("#destination-state"))?.Trim(), StringComparison.Ordinal);
        }
        finally
        {
            if (reader is not null)
            {
                await ServeProcesses.StopAsync(reader);
                reader.Dispose();
            }

            await ServeProcesses.StopAsync(holder);
        }
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    [InlineData("clickhouse")]
    public async Task StatusApi_OnEachDestination_ReadsRunsChartJournalAndWebhooks(string type)
    {
        var name = "each-" + type;
        // PostgreSQL sessions in a zone whose date differs from UTC's at the suite's pinned instant: the chart's days stay UTC.
        var destination = _warehouses.Destination(type);
        destination = type == "postgres" ? destination.Replace("\", schema:", ";Timezone=Pacific/Honolulu\", schema:", StringComparison.Ordinal) : destination;
        var path = _pipelines.WriteTo(name, _pipelines.TokenConfig(), "[records, clients]", destination);
        var sync = await CliProcess.RunAsync(_folder, null, "sync", path);
        Assert.True(sync.ExitCode == 0, sync.ToString());
        await using var app = await StartStatusAsync(path, null);
        var baseUrl = app.Urls.First();

        var runs = JsonNode.Parse(await _http.GetStringAsync($"{baseUrl}/api/pipelines/{name}/runs"))!;
        Assert.True((bool)runs["available"]!, runs.ToJsonString());
        var last = runs["last"]!["sync"]!;
        Assert.Equal("succeeded", (string?)last["status"]);
        Assert.True((double)last["duration_seconds"]! >= 0);
        var tables = last["tables"]!.AsObject();
        Assert.Equal((long)last["rows"]!, tables.Sum(t => (long)t.Value!));
        Assert.True((long)tables["records"]! > 0);

        var chart = JsonNode.Parse(await _http.GetStringAsync($"{baseUrl}/api/pipelines/{name}/chart"))!;
        Assert.True((bool)chart["available"]!, chart.ToJsonString());
        var points = chart["points"]!.AsArray();
        Assert.Equal((long)tables["records"]!, (long)points.Single(p => (string?)p!["table"] == "records")!["rows"]!);
        Assert.Equal([TestClock.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)], points.Select(p => (string)p!["day"]!).Distinct().ToArray());

        var journal = JsonNode.Parse(await _http.GetStringAsync($"{baseUrl}/api/pipelines/{name}/journal?kind=sync&limit=1"))!;
        Assert.True((bool)journal["available"]!, journal.ToJsonString());
        Assert.Single(journal["entries"]!.AsArray());
        Assert.True((bool)journal["truncated"]!);
        Assert.Contains("sync", journal["kinds"]!.AsArray().Select(k => (string?)k));
        Assert.Contains("succeeded", (string?)journal["entries"]![0]!["message"], StringComparison.Ordinal);

        var hooks = JsonNode.Parse(await _http.GetStringAsync($"{baseUrl}/api/pipelines/{name}/webhooks"))!;
        Assert.True((bool)hooks["available"]!, hooks.ToJsonString());
        Assert.Equal(0, (long)hooks["applied"]! + (long)hooks["unapplied"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"{baseUrl}/api/pipelines/other/runs")).StatusCode);
    }

    [Fact]
    public async Task StatusPage_WithSchedule_ShowsNextRunOfEachJob()
    {
        var path = _pipelines.WriteTo("planned", _pipelines.TokenConfig(), "[records]", _warehouses.Postgres());
        var sync = await CliProcess.RunAsync(_folder, null, "sync", path);
        Assert.True(sync.ExitCode == 0, sync.ToString());
        var nextSync = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);
        var nextReconcile = new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.FromHours(3));
        var schedule = new FixedSchedule(new ScheduledJob("sync", "0 * * * *", nextSync), new ScheduledJob("reconcile", "0 4 * * 0", nextReconcile));
        await using var app = await StartStatusAsync(path, schedule);
        {
            var baseUrl = app.Urls.First();
            var runs = JsonNode.Parse(await _http.GetStringAsync(baseUrl + "/api/pipelines/planned/runs"))!;
            Assert.Equal("2026-11-16T10:00:00Z", (string?)runs["next"]!["sync"]!["next_fire"]);
            Assert.Equal("2026-11-22T01:00:00Z", (string?)runs["next"]!["reconcile"]!["next_fire"]);

            await using var browser = await LaunchAsync();
            var page = await browser.NewPageAsync();
            await page.GotoAsync(baseUrl + "/");
            await page.WaitForSelectorAsync("body[data-loaded]");
            Assert.Equal("2026-11-16 10:00:00", (await page.TextContentAsync("#jobs tr[data-job='sync'] td:nth-child(6)"))?.Trim());
            Assert.Equal("succeeded", (await page.TextContentAsync("#jobs tr[data-job='sync'] td:nth-child(3)"))?.Trim());
            Assert.Equal("never", (await page.TextContentAsync("#jobs tr[data-job='reconcile'] td:nth-child(2)"))?.Trim());
            Assert.Equal("2026-11-22 01:00:00", (await page.TextContentAsync("#jobs tr[data-job='reconcile'] td:nth-child(6)"))?.Trim());
        }
    }

    /// <summary>The status feature alone in a web app of its own, over one pipeline, with the schedule given.</summary>
    private static async Task<StatusApp> StartStatusAsync(string path, IJobSchedule? schedule)
    {
        var plugins = Path.Combine(CliProcess.CliDirectory, "plugins");
        var pipeline = new PipelineLoader(TestClock.Running, name => name == PluginDirectories.EnvironmentVariable ? plugins : System.Environment.GetEnvironmentVariable(name))
            .Load(path).GetPipelineOrThrow();
        var feature = new StatusFeature([pipeline], [], schedule, TestClock.Running);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        StatusFeature.AddServices(builder.Services);
        var app = builder.Build();
        app.UseRouting();
        feature.Map(app);
        await app.StartAsync();
        return new StatusApp(app, feature);
    }

    private sealed class StatusApp(WebApplication app, StatusFeature feature) : IAsyncDisposable
    {
        public ICollection<string> Urls => app.Urls;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await feature.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Metrics_MoveWithRunsRowsApiRequestsThrottlingAndWebhooks()
    {
        // A sandbox that allows 2 requests a second, read page by page by a connector allowed 50: some are answered 429.
        await using var strict = await SandboxServer.StartAsync(new SandboxOptions
        {
            Seed = 12,
            Companies = 1,
            StaffPerCompany = 2,
            ClientsPerCompany = 30,
            DaysBack = 3,
            DaysForward = 1,
            Today = TestClock.Today,
            TimeProvider = TestClock.Running,
            RequestsPerSecond = 2,
        });
        var strictPipelines = new SandboxPipeline(_folder, strict);
        var config = strictPipelines.TokenConfig().TrimEnd('}') + ", requests_per_second: 50, max_retries: 10, page_size: 5}";
        var path = strictPipelines.WriteTo("metered", config, "[records, clients]", _warehouses.Postgres());
        var secret = new string('a', 40);
        var plugins = Path.Combine(CliProcess.CliDirectory, "plugins");
        string? Environment(string name) => name switch
        {
            PluginDirectories.EnvironmentVariable => plugins,
            "MYBI_HOOK_SECRET_METERED" => secret,
            _ => System.Environment.GetEnvironmentVariable(name),
        };
        var pipeline = new PipelineLoader(TestClock.Running, Environment).Load(path).GetPipelineOrThrow();
        await using var server = await MyBiServer.StartAsync([pipeline], Environment, new ServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), TimeProvider = TestClock.Running });
        var metrics = new Uri(server.Address, "/metrics");

        var before = await ScrapeAsync(metrics);
        Assert.Equal(0, Value(before, "mybi_runs_total", "pipeline=\"metered\""));
        Assert.Equal(0, Value(before, "mybi_webhook_events_total", "pipeline=\"metered\"", "outcome=\"committed\""));

        await using (var destination = pipeline.CreateDestination())
        {
            var result = await new PipelineRunner(TestClock.Running).RunAsync(pipeline.CreateSyncJob(), destination);
            var after = await ScrapeAsync(metrics);
            Assert.Equal(1, Value(after, "mybi_runs_total", "pipeline=\"metered\"", "kind=\"sync\"", "status=\"succeeded\""));
            Assert.Equal(result.RowsByTable.Values.Sum(), Value(after, "mybi_rows_total", "pipeline=\"metered\""));
            Assert.Equal(result.RowsByTable["records"], Value(after, "mybi_rows_total", "pipeline=\"metered\"", "table=\"records\""));
            Assert.True(strict.Stats.RateLimitedRequests > 0, "the sandbox answered no 429; the test needs some");
            Assert.Equal(strict.Stats.RateLimitedRequests, Value(after, "mybi_api_throttled_total", Sandbox(strict)) - Value(before, "mybi_api_throttled_total", Sandbox(strict)));
            Assert.Equal(strict.Stats.TotalRequests, Value(after, "mybi_api_requests_total", Sandbox(strict)) - Value(before, "mybi_api_requests_total", Sandbox(strict)));
            Assert.Equal(strict.Stats.RateLimitedRequests, Value(after, "mybi_api_requests_total", Sandbox(strict), "status=\"429\"") - Value(before, "mybi_api_requests_total", Sandbox(strict), "status=\"429\""));
        }

        var hook = new Uri(server.Address, HookSecrets.PathOf("metered", secret));
        var body = new JsonObject { ["company_id"] = strictPipelines.CompanyId, ["resource"] = "loyalty_card", ["resource_id"] = 7, ["status"] = "create", ["data"] = new JsonObject { ["id"] = 7 } }.ToJsonString();
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync(hook, new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsync(hook, new StringContent("{not json", Encoding.UTF8, "application/json"))).StatusCode);
        var hooks = await ScrapeAsync(metrics);
        Assert.Equal(1, Value(hooks, "mybi_webhook_events_total", "pipeline=\"metered\"", "outcome=\"committed\""));
        Assert.Equal(1, Value(hooks, "mybi_webhook_events_total", "pipeline=\"metered\"", "outcome=\"rejected\""));
        Assert.Matches(new Regex("^mybi_webhook_spool_depth[^ ]*\\{[^}]*pipeline=\"metered\"[^}]*\\} 0$", RegexOptions.Multiline), hooks);

        // Both bodies were committed (the event) or quarantined (the rest) and are then applied: once the receiver is
        // idle nothing waits any more. A count that is never taken back down, or a gauge that is missing, fails here.
        var waiting = new Regex("^mybi_webhook_apply_waiting\\{[^}]*pipeline=\"metered\"[^}]*\\} (\\d+)$", RegexOptions.Multiline);
        var applied = await ScrapeAsync(metrics);
        for (var attempt = 0; attempt < 600 && waiting.Match(applied) is { Success: true } match && match.Groups[1].Value != "0"; attempt++)
        {
            await Task.Delay(100);
            applied = await ScrapeAsync(metrics);
        }

        Assert.Matches(new Regex("^mybi_webhook_apply_waiting\\{[^}]*pipeline=\"metered\"[^}]*\\} 0$", RegexOptions.Multiline), applied);
        Assert.Matches(new Regex("^# TYPE mybi_runs_total counter$", RegexOptions.Multiline), hooks);
    }

    /// <summary>A scheduler's answer with fixed fire times, as the scheduler fills the seam.</summary>
    private sealed class FixedSchedule(params ScheduledJob[] jobs) : IJobSchedule
    {
        public IReadOnlyList<ScheduledJob> NextRuns(string pipeline) => jobs;
    }

    /// <summary>The API counters' label of one sandbox: other tests in this process may call other sandboxes.</summary>
    private static string Sandbox(SandboxServer sandbox) => $"endpoint=\"{sandbox.BaseUrl.Authority}\"";

    private async Task<string> ScrapeAsync(Uri metrics)
    {
        using var response = await _http.GetAsync(metrics);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a metric's samples whose labels contain every one of <paramref name="labels"/>.</summary>
    private static long Value(string text, string metric, params string[] labels)
    {
        double sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(metric, StringComparison.Ordinal) || line.Length <= metric.Length || (line[metric.Length] != '{' && line[metric.Length] != ' '))
            {
                continue;
            }

            var braces = line.IndexOf('}', StringComparison.Ordinal);
            var labelText = braces < 0 ? string.Empty : line[..braces];
            if (labels.All(l => labelText.Contains(l, StringComparison.Ordinal)))
            {
                var parts = line[(braces < 0 ? metric.Length : braces + 1)..].Trim().Split(' ');
                sum += double.Parse(parts[0], CultureInfo.InvariantCulture);
            }
        }

        return (long)sum;
    }

    private static async Task<Browser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("mybi-chromium-").FullName;
        return new Browser(playwright, profile, await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        }));
    }

    /// <summary>Headless Chromium with a fresh profile folder of its own (its user data dir), all of it gone on dispose.</summary>
    private sealed class Browser(IPlaywright playwright, string profile, IBrowserContext browser) : IAsyncDisposable
    {
        public Task<IPage> NewPageAsync() => browser.NewPageAsync();

        public async ValueTask DisposeAsync()
        {
            await browser.DisposeAsync();
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
        }
    }

    private async Task<(string RunId, Dictionary<string, long> Rows)> LastSyncAsync(string connection)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var runs = source.CreateCommand($"SELECT run_id FROM \"{_warehouses.Unique}\"._mybi_runs WHERE pipeline = 'shop' AND kind = 'sync' ORDER BY started_at DESC LIMIT 1");
        var runId = (string)(await runs.ExecuteScalarAsync())!;
        await using var tables = source.CreateCommand($"SELECT table_name, rows_written FROM \"{_warehouses.Unique}\"._mybi_run_tables WHERE run_id = '{runId}'");
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await tables.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetInt64(1);
        }

        return (runId, rows);
    }

    private async Task AppendJournalAsync(string connection, string kind, string message)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var command = source.CreateCommand(
            $"INSERT INTO \"{_warehouses.Unique}\"._mybi_journal (entry_id, time, pipeline, job, kind, level, message) VALUES ($1, $2, 'shop', $3, $4, 'warning', $5)");
        command.Parameters.AddWithValue(Guid.NewGuid().ToString("N"));
        command.Parameters.AddWithValue(TestClock.Now);
        command.Parameters.AddWithValue(kind == "reconcile" ? "reconcile" : "sync");
        command.Parameters.AddWithValue(kind);
        command.Parameters.AddWithValue(message);
        await command.ExecuteNonQueryAsync();
    }

    private Process Start(string path, int port) => ServeProcesses.Start(_folder, _serverLog, path, "--listen", $"127.0.0.1:{port}");
}
