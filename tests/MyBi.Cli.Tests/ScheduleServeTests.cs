using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;
using Npgsql;

namespace MyBi.Cli.Tests;

/// <summary>
/// What the schedule tests share: `mybi serve` running schedules as child processes, against the sandbox over HTTP and PostgreSQL warehouses. The
/// engine's clock (MYBI_NOW) drives the schedule, so a test starts it seconds before a minute's fire and never waits
/// for the wall clock's minute; assertions count journal entries, never time them.
/// </summary>
public abstract class ScheduleServeHarness : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-sched-").FullName;
    private protected readonly TestWarehouses _warehouses = new("sched_");
    private readonly List<Process> _processes = [];
    private readonly StringBuilder _log = new();
    private readonly List<string> _databases = [];
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions
        {
            Seed = 10,
            Companies = 1,
            StaffPerCompany = 2,
            ClientsPerCompany = 20,
            DaysBack = 3,
            DaysForward = 1,
            Today = TestClock.Today,
            TimeProvider = TestClock.Running,
            RateLimitEnabled = false,
        };
        Configure(options);
        _server = await SandboxServer.StartAsync(options);
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        foreach (var database in _databases)
        {
            await using var connection = new NpgsqlConnection(Postgres);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        foreach (var warehouses in _cleanups)
        {
            await warehouses.DisposeAsync();
        }

        await _warehouses.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Changes the sandbox of a derived class.</summary>
    protected virtual void Configure(SandboxOptions options)
    {
    }

    private protected static string Postgres => TestWarehouses.Required("MYBI_TEST_POSTGRES", "postgres");

    /// <summary>
    /// The minute the schedules fire first: the next one, when there is time to start the servers before it, else the
    /// one after (the wait is at most 20 seconds).
    /// </summary>
    private protected static async Task<DateTimeOffset> NextMinuteAsync()
    {
        var now = TimeProvider.System.GetUtcNow();
        if (now.Second >= 40)
        {
            await Task.Delay(TimeSpan.FromSeconds(61 - now.Second));
            now = TimeProvider.System.GetUtcNow();
        }

        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1);
    }

    private protected readonly List<TestWarehouses> _cleanups = [];

    private protected string Write(string name, string destination, string extra, string streams = "[clients, services, staff]")
    {
        var path = _pipelines.WriteTo(name, _pipelines.TokenConfig(), streams, destination);
        File.AppendAllText(path, "\n" + extra + "\n");
        return path;
    }

    private protected async Task<string> SchedulerDatabaseAsync()
    {
        var database = "qrtz_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        _databases.Add(database);
        return new NpgsqlConnectionStringBuilder(Postgres) { Database = database }.ConnectionString;
    }

    private protected Process Start(params string[] paths)
    {
        var process = ServeProcesses.Start(_folder, _log, [.. paths, "--listen", $"127.0.0.1:{ServeProcesses.FreePort()}"]);
        _processes.Add(process);
        return process;
    }

    private protected string LogText() => ServeProcesses.Text(_log);

    /// <summary>The scheduler instance id a process printed when it started.</summary>
    private protected string InstanceOf(Process process)
    {
        var line = LogText().Split('\n').First(l => l.StartsWith($"{process.Id}: scheduler:", StringComparison.Ordinal) && l.Contains(", instance ", StringComparison.Ordinal));
        return line[(line.LastIndexOf(", instance ", StringComparison.Ordinal) + ", instance ".Length)..].Trim();
    }

    private protected async Task WaitForLogAsync(string text)
    {
        for (var i = 0; i < 600 && !LogText().Contains(text, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(LogText().Contains(text, StringComparison.Ordinal), LogText());
    }

    private protected async Task<IReadOnlyList<Entry>> WaitForAsync(string schema, string pipeline, Func<IReadOnlyList<Entry>, bool> done)
    {
        // Bounded: a fire that never comes fails the test with the servers' output instead of hanging it.
        for (var i = 0; i < 240; i++)
        {
            var entries = await JournalAsync(schema, pipeline);
            if (done(entries))
            {
                return entries;
            }

            await Task.Delay(500);
        }

        Assert.Fail("the scheduled run did not happen:\n" + LogText());
        return [];
    }

    private protected async Task<Dictionary<string, IReadOnlyList<Entry>>> WaitForAllAsync(Dictionary<string, string> schemas, Func<IReadOnlyList<Entry>, bool> done)
    {
        var result = new Dictionary<string, IReadOnlyList<Entry>>();
        foreach (var (name, schema) in schemas)
        {
            result[name] = await WaitForAsync(schema, name, done);
        }

        return result;
    }

    private protected static async Task<IReadOnlyList<Entry>> JournalAsync(string schema, string pipeline)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand($"SELECT to_regclass('\"{schema}\"._mybi_journal') IS NOT NULL", connection);
        if (await exists.ExecuteScalarAsync() is not true)
        {
            return [];
        }

        await using var command = new NpgsqlCommand($"SELECT kind, level, message, details::text FROM \"{schema}\"._mybi_journal WHERE pipeline = @p ORDER BY time", connection);
        command.Parameters.AddWithValue("p", pipeline);
        var entries = new List<Entry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var details = reader.IsDBNull(3) ? default : JsonDocument.Parse(reader.GetString(3)).RootElement.Clone();
            entries.Add(new Entry(reader.GetString(0), reader.GetString(1), reader.GetString(2), details));
        }

        return entries;
    }

    private protected static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private protected static Task StopAsync(Process process) => ServeProcesses.StopAsync(process);

    protected sealed record Entry(string Kind, string Level, string Message, JsonElement Details)
    {
        public string? Outcome => Text("outcome");

        public string? Instance => Text("instance");

        public DateTimeOffset? ScheduledAt => Text("scheduled_at") is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : null;

        private string? Text(string name) =>
            Details.ValueKind == JsonValueKind.Object && Details.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}

/// <summary>A scheduled run stopped by SIGTERM: the sandbox answers slowly, so the run is caught in the middle.</summary>
public sealed class ScheduleCancelTests : ScheduleServeHarness
{
    protected override void Configure(SandboxOptions options)
    {
        options.SlowRate = 1;
        options.SlowDelay = TimeSpan.FromSeconds(1);
    }

    [Fact]
    public async Task Sigterm_DuringAScheduledSync_RecordsTheRunCancelled()
    {
        var schema = _warehouses.Unique;
        var path = Write("slow", _warehouses.Postgres(), "schedule: {sync: \"* * * * *\"}", streams: "[clients, services, staff, records]");
        await NextMinuteAsync();
        var serve = Start(path);
        await WaitForAsync(schema, "slow", e => e.Any(x => x.Kind == "sync" && x.Message == "sync started"));
        await StopAsync(serve);

        var entries = await JournalAsync(schema, "slow");
        Assert.DoesNotContain(entries, e => e.Kind == "sync" && e.Message.StartsWith("sync succeeded", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Kind == "error" && e.Message.StartsWith("sync cancelled", StringComparison.Ordinal));
        var status = await ScalarAsync(Postgres, $"SELECT string_agg(status, ',') FROM \"{schema}\"._mybi_runs");
        Assert.Equal("cancelled", status);
        Assert.Contains("slow/sync cancelled", LogText(), StringComparison.Ordinal);
    }
}

/// <summary>The scheduler in the in-memory and the shared PostgreSQL store: fires, misfires, skips and fail-over.</summary>
public sealed class ScheduleServeTests : ScheduleServeHarness
{
    [Fact]
    public async Task InMemoryStore_FiresTheSync_AndAPipelineWithoutWebhookSecretIsServed()
    {
        var schema = _warehouses.Unique;
        var path = Write("memsync", _warehouses.Postgres(), "schedule: {sync: \"* * * * *\"}");
        var slot = await NextMinuteAsync();
        var serve = Start(path);
        var entries = await WaitForAsync(schema, "memsync", e => e.Any(x => x.Kind == "sync" && x.Message.StartsWith("sync succeeded", StringComparison.Ordinal)));
        await StopAsync(serve);
        entries = await JournalAsync(schema, "memsync");

        var fire = Assert.Single(entries, e => e.Kind == "schedule");
        Assert.Equal("started", fire.Outcome);
        Assert.Equal(slot, fire.ScheduledAt);
        Assert.Single(entries, e => e.Kind == "sync" && e.Message.StartsWith("sync succeeded", StringComparison.Ordinal));
        Assert.Contains("memsync: webhooks off", LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgresStore_MissedFiresAfterDowntime_RunOnce()
    {
        var store = await SchedulerDatabaseAsync();
        var schema = _warehouses.Unique;
        var path = Write("misfire", _warehouses.Postgres(), $"schedule: {{sync: \"0 10 * * *\"}}\nscheduler: {{store: postgres, connection: \"{store}\", checkin_interval: 2}}");

        // The first instance stores the daily trigger and stops before it fires.
        var first = Start(path);
        await WaitForLogAsync("misfire/sync next fire");
        await StopAsync(first);
        var next = Convert.ToInt64(await ScalarAsync(store, "SELECT next_fire_time FROM qrtz_triggers WHERE trigger_group = 'misfire'"), CultureInfo.InvariantCulture);

        // Three days of downtime: the stored next fire is three days old, so three daily fires were missed.
        await ScalarAsync(store, $"UPDATE qrtz_triggers SET next_fire_time = {next - TimeSpan.FromDays(3).Ticks} WHERE trigger_group = 'misfire'");
        var second = Start(path);
        await WaitForAsync(schema, "misfire", e => e.Any(x => x.Kind == "sync" && x.Message.StartsWith("sync succeeded", StringComparison.Ordinal)));
        var after = Convert.ToInt64(await ScalarAsync(store, "SELECT next_fire_time FROM qrtz_triggers WHERE trigger_group = 'misfire'"), CultureInfo.InvariantCulture);
        await StopAsync(second);
        var entries = await JournalAsync(schema, "misfire");

        Assert.Single(entries, e => e.Kind == "schedule");
        Assert.Single(entries, e => e.Kind == "sync" && e.Message.StartsWith("sync succeeded", StringComparison.Ordinal));

        // One fire for all the missed ones, then the schedule goes on from its next real slot.
        Assert.Equal(next, after);
    }

    [Fact]
    public async Task TwoInstancesOnOneStore_RunEachFireOnce_SkipABusyPipeline_AndTheSurvivorTakesOverAfterKillNine()
    {
        const int Pipelines = 10;
        var store = await SchedulerDatabaseAsync();
        var names = Enumerable.Range(1, Pipelines).Select(i => $"p{i:00}").ToList();
        var schemas = new Dictionary<string, string>();
        var paths = new List<string>();
        foreach (var name in names)
        {
            var warehouses = new TestWarehouses("sched_" + name + "_");
            _cleanups.Add(warehouses);
            paths.Add(Write(name, warehouses.Postgres(), $"schedule: {{sync: \"* * * * *\"}}\nscheduler: {{store: postgres, connection: \"{store}\", checkin_interval: 2}}", streams: "[clients, services]"));
            schemas[name] = warehouses.Unique;
        }

        // The lock a run of p10 holds, taken here as a long run elsewhere would hold it: its first fire is skipped.
        var busy = new NpgsqlConnection(store);
        await busy.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended('mybi pipeline p10', 0))", busy))
        {
            await take.ExecuteNonQueryAsync();
        }

        var slot1 = await NextMinuteAsync();
        var slot2 = slot1.AddMinutes(1);
        var a = Start([.. paths]);
        var b = Start([.. paths]);
        var first = await WaitForAllAsync(schemas, journal => journal.Any(e => e.Kind == "schedule" && e.Outcome == "skipped")
            || journal.Any(e => e.Kind == "sync" && e.Message.StartsWith("sync succeeded", StringComparison.Ordinal)));
        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", busy))
        {
            await release.ExecuteNonQueryAsync();
        }

        await busy.DisposeAsync();
        foreach (var (name, journal) in first)
        {
            var fire = Assert.Single(journal, e => e.Kind == "schedule");
            Assert.Equal(slot1, fire.ScheduledAt);
            Assert.Equal(name == "p10" ? "skipped" : "started", fire.Outcome);
        }

        // The instance that ran more of the first minute's fires dies without a word.
        var victimId = first.Values.SelectMany(j => j).Where(e => e.Kind == "schedule").GroupBy(e => e.Instance).OrderByDescending(g => g.Count()).First().Key;
        var victim = InstanceOf(a) == victimId ? a : b;
        var survivor = victim == a ? b : a;
        var survivorId = InstanceOf(survivor);
        victim.Kill(entireProcessTree: true);
        await victim.WaitForExitAsync();

        // Every pipeline's next fire runs exactly once, on the survivor, p10 included now that it is free.
        await WaitForAllAsync(schemas, journal => journal.Count(e => e.Kind == "sync" && e.Message.StartsWith("sync succeeded", StringComparison.Ordinal)) >= (journal.Any(e => e.Outcome == "skipped") ? 1 : 2));
        await StopAsync(survivor);
        foreach (var name in names)
        {
            var journal = await JournalAsync(schemas[name], name);
            var fires = journal.Where(e => e.Kind == "schedule").ToList();
            Assert.Equal([slot1, slot2], fires.Select(f => f.ScheduledAt!.Value).Order());
            Assert.Equal(survivorId, fires.Single(f => f.ScheduledAt == slot2).Instance);
            Assert.Equal(name == "p10" ? 1 : 2, journal.Count(e => e.Kind == "sync" && e.Message.StartsWith("sync succeeded", StringComparison.Ordinal)));
        }

        Assert.NotEqual(victimId, survivorId);
    }
}
