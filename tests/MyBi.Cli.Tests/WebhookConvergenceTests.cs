using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>
/// The sandbox changes 500 records and posts the webhooks itself to `mybi serve`, at the URL `mybi hooks register`
/// set in its hooks_settings; afterwards records, record_services and visits equal a fresh pull of the same period.
/// </summary>
public sealed class WebhookConvergenceTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    private void Mark(string what) => output.WriteLine($"{_watch.Elapsed.TotalSeconds:0.0}s {what}");

    private const int Changes = 500;
    private const int DaysBack = 6;
    private const int DaysForward = 3;

    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-converge-").FullName;
    private readonly StringBuilder _serverLog = new();
    private readonly TestWarehouses _hooked = new("hooked_");
    private readonly TestWarehouses _fresh = new("fresh_");
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSandboxes.StartAsync(seed: 21, clients: 40, daysBack: DaysBack, daysForward: DaysForward, staff: 3, webhookRetryDelay: TimeSpan.FromMilliseconds(100));
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _hooked.DisposeAsync();
        await _fresh.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task SandboxBurst_ConvergesWithFreshPull(string destination)
    {
        var config = _pipelines.TokenConfig().TrimEnd('}') + ", requests_per_second: 1000, requests_per_minute: 100000}";
        const string streams = "[records, record_services, visits]";
        var hooked = _pipelines.WriteTo("hooked", config, streams, _hooked.Destination(destination));
        var fresh = _pipelines.WriteTo("fresh", config, streams, _fresh.Destination(destination));
        var from = TestClock.Today.AddDays(-DaysBack).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = TestClock.Today.AddDays(DaysForward).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        await RunAsync("sync", hooked, "--from", from, "--to", to);
        var before = await CountAsync(hooked, "records");
        Mark("pulled");

        var port = ServeProcesses.FreePort();
        var register = await RunAsync("hooks", "register", hooked, "--public-url", $"http://127.0.0.1:{port}");
        Assert.Contains("(this pipeline)", register, StringComparison.Ordinal);
        var secret = File.ReadAllLines(Path.Combine(_folder, ".mybi", "secrets.env")).Single(l => l.StartsWith("MYBI_HOOK_SECRET_HOOKED=", StringComparison.Ordinal)).Split('=')[1];
        Assert.DoesNotContain(secret, register, StringComparison.Ordinal);
        var status = await RunAsync("hooks", "status", hooked);
        Assert.Contains("  on:  record\n", status.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("(this pipeline)", status, StringComparison.Ordinal);

        Mark("registered");
        using (var serve = Start(hooked, port))
        {
            await ServeProcesses.WaitListeningAsync(serve, port, _serverLog);
            var summary = _server.ChangeRecords(Changes);
            Assert.Equal(Changes, summary.Total);
            Assert.True(summary.Created > 0 && summary.Updated > 0 && summary.Deleted > 0, summary.ToString());

            // Every 200 means the event is committed; a generous bound, not a timing assertion.
            for (var i = 0; i < 1800 && _server.Stats.WebhooksPending > 0; i++)
            {
                await Task.Delay(100);
            }

            Mark("sent");
            Assert.True(_server.Stats.WebhooksSent == Changes, $"sent {_server.Stats.WebhooksSent}, failed {_server.Stats.WebhooksFailed}, dropped {_server.Stats.WebhooksDropped}\n{ServeProcesses.Text(_serverLog)}");
            await ServeProcesses.StopAsync(serve);
        }

        Mark("stopped");
        await RunAsync("sync", fresh, "--from", from, "--to", to);
        Mark("fresh pull");

        var events = await _pipelines.QueryOneAsync(hooked, "SELECT count(*) AS n, sum(CASE WHEN applied THEN 1 ELSE 0 END) AS applied FROM yclients_webhook_events");
        Assert.Equal(Changes, events.GetProperty("n").GetInt64());
        Assert.Equal(Changes, events.GetProperty("applied").GetInt64());

        const string totals = """
            SELECT (SELECT count(*) FROM records) AS records,
                   (SELECT sum(CASE WHEN deleted THEN 1 ELSE 0 END) FROM records) AS deleted_records,
                   (SELECT sum(attendance) FROM records) AS attendance,
                   (SELECT count(*) FROM record_services) AS services,
                   (SELECT sum(cost) FROM record_services) AS cost,
                   (SELECT sum(CASE WHEN deleted THEN 0 ELSE cost END) FROM record_services) AS live_cost,
                   (SELECT count(*) FROM visits) AS visits,
                   (SELECT sum(CASE WHEN deleted THEN 1 ELSE 0 END) FROM visits) AS deleted_visits,
                   (SELECT sum(attendance) FROM visits) AS visit_attendance
            """;
        var pulled = await _pipelines.QueryOneAsync(fresh, totals);
        Assert.True(pulled.GetProperty("records").GetInt64() > before, $"the burst created no record: {pulled}");
        foreach (var sql in new[]
        {
            totals,
            "SELECT id, attendance, deleted, staff_id FROM records ORDER BY id",
            "SELECT record_id, service_id, cost, attendance, deleted FROM record_services ORDER BY record_id, service_id",
            "SELECT visit_id, client_id, attendance, deleted FROM visits ORDER BY visit_id",
        })
        {
            var expected = (await _pipelines.QueryAsync(fresh, sql, limit: 100_000)).GetRawText();
            var actual = (await _pipelines.QueryAsync(hooked, sql, limit: 100_000)).GetRawText();
            Assert.True(expected == actual, $"{sql}\nfresh pull: {Cut(expected)}\nwebhooks:   {Cut(actual)}");
        }

        Mark("compared");
    }

    private static string Cut(string text) => text.Length > 2000 ? text[..2000] + "…" : text;

    private async Task<long> CountAsync(string pipeline, string table) =>
        (await _pipelines.QueryOneAsync(pipeline, $"SELECT count(*) AS n FROM {table}")).GetProperty("n").GetInt64();

    private async Task<string> RunAsync(params string[] args)
    {
        var result = await CliProcess.RunAsync(_folder, new Dictionary<string, string?> { ["MYBI_NOW"] = TestClock.EngineNow }, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout;
    }

    private Process Start(string path, int port) => ServeProcesses.Start(_folder, _serverLog, path, "--listen", $"127.0.0.1:{port}");
}
