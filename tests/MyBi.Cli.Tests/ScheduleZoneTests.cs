using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Hosting;
using MyBi.Server;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>
/// The zone a schedule without <c>timezone</c> follows: the source's companies', read once when the server starts.
/// The sandbox's first branch is in Moscow (UTC+3, no daylight saving), the second in Yekaterinburg (UTC+5); daily
/// jobs at 03:00 never fire while the test runs, so it only reads the next fire the status API reports.
/// </summary>
public sealed class ScheduleZoneTests : IAsyncLifetime
{
    private const long Moscow = 100001;
    private const long Yekaterinburg = 100002;
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-zone-").FullName;
    private readonly HttpClient _http = new();
    private readonly StringBuilder _log = new();
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSandboxes.StartAsync(seed: 14, clients: 5, daysBack: 1, daysForward: 1, staff: 1, companies: 2);
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task DailyScheduleWithoutTimezone_FiresAt3InTheCompanysZone_ExplicitUtcAndMixedZonesAt3Utc()
    {
        var local = Write("local", _pipelines.TokenConfig(companyId: Moscow), "schedule: {sync: \"0 3 * * *\"}");
        var utc = Write("utc", _pipelines.TokenConfig(companyId: Moscow), "schedule: {sync: \"0 3 * * *\", timezone: UTC}");
        var mixed = Write(
            "mixed",
            _pipelines.TokenConfig(companyId: Moscow).Replace($"company_id: {Moscow}", $"company_ids: [{Moscow}, {Yekaterinburg}]", StringComparison.Ordinal),
            "schedule: {sync: \"0 3 * * *\"}");

        var plugins = Path.Combine(CliProcess.CliDirectory, "plugins");
        string? Environment(string name) => name == PluginDirectories.EnvironmentVariable ? plugins : System.Environment.GetEnvironmentVariable(name);
        var loader = new PipelineLoader(TestClock.Running, Environment);
        var loaded = new[] { local, utc, mixed }.Select(p => loader.Load(p).GetPipelineOrThrow()).ToList();
        var before = TimeProvider.System.GetUtcNow();
        await using var server = await MyBiServer.StartAsync(loaded, Environment, new ServerOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            TimeProvider = TestClock.Running,
            Log = line => { lock (_log) { _log.AppendLine(line); } },
        });

        // 03:00 in Moscow is 00:00Z; the next one comes within a day of the start.
        var moscowFire = await NextFireAsync(server, "local");
        Assert.Equal(TimeSpan.Zero, moscowFire.TimeOfDay);
        Assert.InRange(moscowFire, before, before.AddDays(1).AddMinutes(1));
        Assert.Equal(new TimeSpan(3, 0, 0), TimeZoneInfo.ConvertTime(moscowFire, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")).TimeOfDay);

        var utcFire = await NextFireAsync(server, "utc");
        Assert.Equal(new TimeSpan(3, 0, 0), utcFire.TimeOfDay);
        Assert.InRange(utcFire, before, before.AddDays(1).AddMinutes(1));

        // Two companies in two zones: no single zone, so UTC, and both the log and the journal say why.
        var mixedFire = await NextFireAsync(server, "mixed");
        Assert.Equal(new TimeSpan(3, 0, 0), mixedFire.TimeOfDay);
        string log;
        lock (_log)
        {
            log = _log.ToString();
        }

        Assert.Contains("scheduler: local follows the source's time zone Europe/Moscow", log, StringComparison.Ordinal);
        Assert.Contains("scheduler: mixed: schedule runs in UTC: the source names no single time zone", log, StringComparison.Ordinal);
        Assert.DoesNotContain("scheduler: utc follows", log, StringComparison.Ordinal);
        Assert.DoesNotContain("scheduler: utc: schedule runs in UTC", log, StringComparison.Ordinal);
        var journal = JsonNode.Parse(await _http.GetStringAsync(new Uri(server.Address, "/api/pipelines/mixed/journal?kind=schedule")))!;
        var warning = Assert.Single(journal["entries"]!.AsArray());
        Assert.StartsWith("schedule runs in UTC", (string?)warning!["message"], StringComparison.Ordinal);
        var localJournal = JsonNode.Parse(await _http.GetStringAsync(new Uri(server.Address, "/api/pipelines/local/journal?kind=schedule")))!;
        Assert.Empty(localJournal["entries"]!.AsArray());
    }

    private string Write(string name, string config, string extra)
    {
        var path = _pipelines.WriteTo(name, config, "[clients]", $"{{type: duckdb, path: ./{name}.duckdb}}");
        File.AppendAllText(path, "\n" + extra + "\n");
        return path;
    }

    private async Task<DateTimeOffset> NextFireAsync(MyBiServer server, string pipeline)
    {
        var runs = JsonNode.Parse(await _http.GetStringAsync(new Uri(server.Address, $"/api/pipelines/{pipeline}/runs")))!;
        var text = (string?)runs["next"]!["sync"]!["next_fire"];
        Assert.NotNull(text);
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}

/// <summary>
/// The in-memory store's guard against overlapping runs, in process: a fire that finds the pipeline's lock held (as
/// a run in flight holds it) is skipped and journalled; once the lock is free the next fire runs.
/// </summary>
public sealed class ScheduleSkipTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-skip-").FullName;
    private readonly StringBuilder _log = new();
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSandboxes.StartAsync(seed: 15, clients: 5, daysBack: 1, daysForward: 1, staff: 1);
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task InMemoryStore_FireWhileThePipelineRuns_IsSkippedAndJournalled_ThenTheNextFireRuns()
    {
        // A yearly slot, so only the fires made here happen while the test runs.
        var path = _pipelines.WriteTo("busy", _pipelines.TokenConfig(), "[clients]", "{type: duckdb, path: ./busy.duckdb}");
        File.AppendAllText(path, "\nschedule: {sync: \"0 0 1 1 *\", timezone: UTC}\n");
        var plugins = Path.Combine(CliProcess.CliDirectory, "plugins");
        var pipeline = new PipelineLoader(TestClock.Running, name => name == PluginDirectories.EnvironmentVariable ? plugins : System.Environment.GetEnvironmentVariable(name))
            .Load(path).GetPipelineOrThrow();
        var feature = MyBi.Server.Scheduling.SchedulerFeature.For([pipeline], new ServerOptions
        {
            TimeProvider = TestClock.Running,
            Log = line => { lock (_log) { _log.AppendLine(line); } },
        })!;
        await feature.StartAsync(CancellationToken.None);
        try
        {
            var held = await feature.Locks!.TryAcquireAsync("busy", CancellationToken.None);
            Assert.NotNull(held);
            await feature.FireNowAsync("busy", "sync", CancellationToken.None);
            await WaitForLogAsync("scheduler: busy/sync skipped, the pipeline is running");

            await held.DisposeAsync();
            await feature.FireNowAsync("busy", "sync", CancellationToken.None);
            await WaitForLogAsync("scheduler: busy/sync succeeded");
        }
        finally
        {
            await feature.StopAsync();
        }

        await using var destination = pipeline.CreateDestination();
        var journal = await new MyBi.Engine.State.RunStore(destination, pipeline.Redactor).LoadJournalAsync("busy", "schedule", null);
        Assert.Equal(2, journal.Count);
        var skipped = Assert.Single(journal, e => (string?)e.Details?["outcome"] == "skipped");
        Assert.Equal(MyBi.Engine.State.JournalLevel.Warning, skipped.Level);
        Assert.Contains("skipped", skipped.Message, StringComparison.Ordinal);
        Assert.Single(journal, e => (string?)e.Details?["outcome"] == "started");
        Assert.Single(await new MyBi.Engine.State.RunStore(destination, pipeline.Redactor).LoadRunsAsync("busy"));
    }

    private async Task WaitForLogAsync(string text)
    {
        // Bounded: a fire that never comes fails with the log instead of hanging the test.
        for (var i = 0; i < 600; i++)
        {
            lock (_log)
            {
                if (_log.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            await Task.Delay(100);
        }

        lock (_log)
        {
            Assert.Fail($"'{text}' never appeared in the log:\n{_log}");
        }
    }
}
