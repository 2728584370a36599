using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ClickHouse.Driver;
using MyBi.Connectors.YClients.Sandbox;
using Npgsql;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>
/// The PostgreSQL and ClickHouse destinations through the real <c>mybi</c> program: a sandbox period loaded twice,
/// and the one line a user sees when a warehouse is down or refuses the credentials. Each test loads into its own
/// PostgreSQL schema or ClickHouse database.
/// </summary>
public sealed class WarehouseSyncTests : IAsyncLifetime
{
    private const string PostgresVariable = "MYBI_TEST_POSTGRES";
    private const string ClickHouseVariable = "MYBI_TEST_CLICKHOUSE";

    // .ci/postgres.sh creates this role; it must give its password over TCP while every other user is trusted.
    private const string PasswordRole = "mybi_password_test";
    private const string PasswordRoleSecret = "mybi-test-password";

    private const string Secret = "warehouse-secret-7f3a9c41";
    private const string Streams = "[records, record_services, clients, services, staff]";

    private const string RecordsSql = "select count(*) as n, count(distinct id) as ids, sum(id) as id_sum, sum(case when deleted then 1 else 0 end) as deleted, count(distinct company_id) as companies from records";
    private const string LinesSql = "select count(*) as n, sum(record_id) as record_id_sum, sum(cost) as cost, sum(first_cost) as first_cost, sum(amount) as amount from record_services";
    private const string CatalogSql = "select (select count(*) from clients) as clients, (select count(*) from services) as services, (select count(*) from staff) as staff";

    private static readonly DateOnly s_today = TestClock.Today;
    private static readonly DateOnly s_from = s_today.AddDays(-20);
    private static readonly DateOnly s_to = s_today.AddDays(-7);

    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-warehouse-").FullName;
    private readonly string _unique = "mybi_cli_" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<Func<Task>> _cleanup = [];
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { Seed = 23, Companies = 1, Today = s_today, TimeProvider = TestClock.Running });
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        foreach (var cleanup in _cleanup)
        {
            await cleanup();
        }

        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Sync_PostgresTwice_CountsAndSumsMatchTheSandboxBothTimes()
    {
        var connection = TestWarehouses.Required(PostgresVariable, "postgres");
        _cleanup.Add(() => TestWarehouses.DropPostgresSchemaAsync(connection, _unique));
        var pipeline = _pipelines.WriteTo("pg", _pipelines.TokenConfig(), Streams, $"{{type: postgres, connection: {Quote(connection)}, schema: {_unique}}}");

        var first = await SyncAsync(pipeline);
        Assert.Contains($"schema {_unique}", first.Stdout, StringComparison.Ordinal);
        var afterFirst = await AssertMatchesSandboxAsync(pipeline);

        await SyncAsync(pipeline);
        var afterSecond = await AssertMatchesSandboxAsync(pipeline);

        Assert.Equal(afterFirst, afterSecond);
        var runs = await _pipelines.QueryOneAsync(pipeline, "select count(*) as runs from _mybi_runs where status = 'succeeded'");
        Assert.Equal(2, runs.GetProperty("runs").GetInt64());
    }

    [Fact]
    public async Task Sync_ClickHouseTwice_CountsAndSumsMatchTheSandboxAfterDeduplication()
    {
        var connection = TestWarehouses.Required(ClickHouseVariable, "clickhouse");
        _cleanup.Add(() => TestWarehouses.DropClickHouseDatabaseAsync(connection, _unique));
        var pipeline = _pipelines.WriteTo("ch", _pipelines.TokenConfig(), Streams, $"{{type: clickhouse, connection: {Quote(connection)}, database: {_unique}}}");

        var first = await SyncAsync(pipeline);
        Assert.Contains($"/{_unique}", first.Stdout, StringComparison.Ordinal);
        var afterFirst = await AssertMatchesSandboxAsync(pipeline);

        await SyncAsync(pipeline);
        var afterSecond = await AssertMatchesSandboxAsync(pipeline);

        Assert.Equal(afterFirst, afterSecond);
        var records = _server.Data.RecordsBetween(_pipelines.CompanyId, s_from, s_to, includeDeleted: true);
        var final = await _pipelines.QueryOneAsync(pipeline, "select count() as n from records FINAL");
        Assert.Equal(records.Count, final.GetProperty("n").GetInt64());
        var finalLines = await _pipelines.QueryOneAsync(pipeline, "select count() as n from record_services FINAL");
        Assert.Equal(records.Sum(r => r.Services.Count), finalLines.GetProperty("n").GetInt64());
        var runs = await _pipelines.QueryOneAsync(pipeline, "select count() as runs from _mybi_runs FINAL where status = 'succeeded'");
        Assert.Equal(2, runs.GetProperty("runs").GetInt64());
    }

    [Fact]
    public async Task Sync_PostgresDown_OneLineNamingHostAndPortExit1NoPassword()
    {
        var port = ClosedPort();
        var pipeline = _pipelines.WriteTo("pg-down", _pipelines.TokenConfig(), Streams,
            $"{{type: postgres, connection: \"Host=127.0.0.1;Port={port};Username=postgres;Password={Secret};Database=postgres\", schema: {_unique}}}");

        var result = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(s_from), "--to", D(s_to));

        Assert.True(result.ExitCode == 1, result.ToString());
        AssertOneClearLine(result, $"127.0.0.1:{port}", "PostgreSQL");
        Assert.Equal(0, _server.Stats.TotalRequests);
    }

    [Fact]
    public async Task Sync_ClickHouseDown_OneLineNamingHostAndPortExit1NoPassword()
    {
        var port = ClosedPort();
        var pipeline = _pipelines.WriteTo("ch-down", _pipelines.TokenConfig(), Streams,
            $"{{type: clickhouse, connection: \"Host=127.0.0.1;Port={port};Protocol=http;Username=default;Password={Secret}\", database: {_unique}}}");

        var result = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(s_from), "--to", D(s_to));

        Assert.True(result.ExitCode == 1, result.ToString());
        AssertOneClearLine(result, $"127.0.0.1:{port}", "ClickHouse");
        Assert.Equal(0, _server.Stats.TotalRequests);
    }

    [Fact]
    public async Task Sync_PostgresWrongPassword_OneLineNamingHostAndPortExit2NoPassword()
    {
        var server = new DbConnectionStringBuilder { ConnectionString = TestWarehouses.Required(PostgresVariable, "postgres") };
        var host = (string)server["Host"];
        var port = server.TryGetValue("Port", out var p) ? Convert.ToString(p, CultureInfo.InvariantCulture) : "5432";
        string Connection(string password) => With(server, ("Username", PasswordRole), ("Password", password));

        // The right password works: the failure below is the password's, not the role's or the server's.
        var right = _pipelines.WriteTo("pg-right", _pipelines.TokenConfig(), Streams, $"{{type: postgres, connection: {Quote(Connection(PasswordRoleSecret))}}}");
        var check = await _pipelines.QueryOneAsync(right, "select current_user as who");
        Assert.Equal(PasswordRole, check.GetProperty("who").GetString());

        var wrong = _pipelines.WriteTo("pg-wrong", _pipelines.TokenConfig(), Streams, $"{{type: postgres, connection: {Quote(Connection(Secret))}, schema: {_unique}}}");
        var result = await CliProcess.RunAsync(_folder, null, "sync", wrong, "--from", D(s_from), "--to", D(s_to));

        Assert.True(result.ExitCode == 2, result.ToString());
        AssertOneClearLine(result, $"{host}:{port}", PasswordRole);
        Assert.Contains("credentials", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, _server.Stats.TotalRequests);
    }

    [Fact]
    public async Task Sync_ClickHouseWrongPassword_OneLineNamingHostAndPortExit2NoPassword()
    {
        // The shared test server takes any password, so this test starts its own front end that demands one.
        const string Password = "clickhouse-right-password";
        await using var guarded = await PasswordClickHouse.StartAsync(Path.Combine(_folder, "chdb"), Password);
        string Connection(string password) => $"Host=127.0.0.1;Port={guarded.Port};Protocol=http;Username=default;Password={password}";

        var right = _pipelines.WriteTo("ch-right", _pipelines.TokenConfig(), Streams, $"{{type: clickhouse, connection: {Quote(Connection(Password))}}}");
        var check = await _pipelines.QueryOneAsync(right, "select 1 as one");
        Assert.Equal(1, check.GetProperty("one").GetInt64());

        var wrong = _pipelines.WriteTo("ch-wrong", _pipelines.TokenConfig(), Streams, $"{{type: clickhouse, connection: {Quote(Connection(Secret))}, database: {_unique}}}");
        var result = await CliProcess.RunAsync(_folder, null, "sync", wrong, "--from", D(s_from), "--to", D(s_to));

        Assert.True(result.ExitCode == 2, result.ToString());
        AssertOneClearLine(result, $"127.0.0.1:{guarded.Port}", "password");
        Assert.DoesNotContain(Password, result.All, StringComparison.Ordinal);
        Assert.Equal(0, _server.Stats.TotalRequests);
    }

    private async Task<CliResult> SyncAsync(string pipeline)
    {
        var result = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(s_from), "--to", D(s_to));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("succeeded", result.Stdout, StringComparison.Ordinal);
        return result;
    }

    /// <summary>Checks the warehouse against the sandbox's own data and returns the raw query rows for comparing runs.</summary>
    private async Task<string[]> AssertMatchesSandboxAsync(string pipeline)
    {
        var data = _server.Data;
        var company = _pipelines.CompanyId;
        var records = data.RecordsBetween(company, s_from, s_to, includeDeleted: true);
        var lines = records.SelectMany(r => r.Services.Select(s => (Record: r.Id, Line: s))).ToList();
        Assert.True(records.Count > 0 && lines.Count > 0, "the sandbox period holds no records: the test proves nothing");

        var r = await _pipelines.QueryOneAsync(pipeline, RecordsSql);
        Assert.Equal(records.Count, r.GetProperty("n").GetInt64());
        Assert.Equal(records.Count, r.GetProperty("ids").GetInt64());
        Assert.Equal(records.Sum(x => (decimal)x.Id), r.GetProperty("id_sum").GetDecimal());
        Assert.Equal(records.Count(x => x.Deleted), r.GetProperty("deleted").GetInt64());
        Assert.Equal(1, r.GetProperty("companies").GetInt64());

        var s = await _pipelines.QueryOneAsync(pipeline, LinesSql);
        Assert.Equal(lines.Count, s.GetProperty("n").GetInt64());
        Assert.Equal(lines.Sum(l => (decimal)l.Record), s.GetProperty("record_id_sum").GetDecimal());
        Assert.Equal(lines.Sum(l => l.Line.Cost), s.GetProperty("cost").GetDecimal());
        Assert.Equal(lines.Sum(l => l.Line.FirstCost), s.GetProperty("first_cost").GetDecimal());
        Assert.Equal(lines.Sum(l => l.Line.Amount), s.GetProperty("amount").GetDecimal());

        var c = await _pipelines.QueryOneAsync(pipeline, CatalogSql);
        Assert.Equal(data.Clients(company).Count, c.GetProperty("clients").GetInt64());
        Assert.Equal(data.Services(company).Count, c.GetProperty("services").GetInt64());
        Assert.Equal(data.Staff(company).Count, c.GetProperty("staff").GetInt64());

        return [r.GetRawText(), s.GetRawText(), c.GetRawText()];
    }

    private static void AssertOneClearLine(CliResult result, string hostAndPort, string expectedFragment)
    {
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, result.ToString());
        Assert.StartsWith("error:", lines[0], StringComparison.Ordinal);
        Assert.Contains(hostAndPort, lines[0], StringComparison.Ordinal);
        Assert.Contains(expectedFragment, lines[0], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.All, StringComparison.Ordinal);
    }


    private static string With(DbConnectionStringBuilder server, params (string Key, string Value)[] changes)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = server.ConnectionString };
        foreach (var (key, value) in changes)
        {
            builder[key] = value;
        }

        return builder.ConnectionString;
    }

    /// <summary>A YAML double-quoted scalar.</summary>
    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }



    /// <summary>
    /// A private instance of tests/MyBi.TestServers.ClickHouse started with <c>--password</c>, so it refuses other
    /// passwords with code 516 like a real server. It is built from the source tree next to this test's own build
    /// output and runs chDB from the library <c>.ci/clickhouse.sh</c> downloads.
    /// </summary>
    private sealed class PasswordClickHouse : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _stderr;
        private Task<string>? _stdout;

        private PasswordClickHouse(Process process, int port)
        {
            _process = process;
            Port = port;
            _stderr = process.StandardError.ReadToEndAsync();
        }

        public int Port { get; }

        public static async Task<PasswordClickHouse> StartAsync(string dataFolder, string password)
        {
            var library = ChdbLibrary();
            var server = await BuildAsync();
            Directory.CreateDirectory(dataFolder);
            var port = ClosedPort();
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { server, "--data", dataFolder, "--chdb", library, "--password", password, "--urls", $"http://127.0.0.1:{port}" })
            {
                info.ArgumentList.Add(arg);
            }

            var started = new PasswordClickHouse(Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet"), port);
            try
            {
                await started.WaitUntilListeningAsync();
            }
            catch
            {
                await started.DisposeAsync();
                throw;
            }

            return started;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            await _stderr;
            if (_stdout is not null)
            {
                await _stdout;
            }

            _process.Dispose();
        }

        /// <summary>Kestrel logs "Application started" once it listens; the bound only keeps a broken start from hanging.</summary>
        private async Task WaitUntilListeningAsync()
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (await _process.StandardOutput.ReadLineAsync(bound.Token) is { } line)
            {
                if (line.Contains("Application started", StringComparison.Ordinal))
                {
                    // Keep draining, so a full pipe never blocks the server.
                    _stdout = _process.StandardOutput.ReadToEndAsync();
                    using var http = new HttpClient();
                    Assert.StartsWith("Ok.", await http.GetStringAsync(new Uri($"http://127.0.0.1:{Port}/ping")), StringComparison.Ordinal);
                    return;
                }
            }

            await _process.WaitForExitAsync();
            Assert.Fail($"the password-protected ClickHouse test server exited with code {_process.ExitCode}: {await _stderr}");
        }

        private static string ChdbLibrary()
        {
            var given = Environment.GetEnvironmentVariable("MYBI_CHDB_LIBRARY");
            if (!string.IsNullOrWhiteSpace(given))
            {
                return given;
            }

            var cache = Environment.GetEnvironmentVariable("MYBI_CHDB_CACHE")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mybi", "chdb");
            var found = Directory.Exists(cache)
                ? Directory.EnumerateFiles(cache, "libchdb.so", SearchOption.AllDirectories).Order(StringComparer.Ordinal).LastOrDefault()
                : null;
            if (found is null)
            {
                Assert.Fail($"chDB (libchdb.so) was not found under {cache}. Run 'bash .ci/clickhouse.sh start' once (it downloads chDB) or set MYBI_CHDB_LIBRARY.");
            }

            return found!;
        }

        /// <summary>Builds the front end into this test run's artifacts folder (incremental after the first time).</summary>
        private static async Task<string> BuildAsync()
        {
            var root = typeof(WarehouseSyncTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .Cast<System.Reflection.AssemblyMetadataAttribute>()
                .Single(a => a.Key == "RepositoryRoot").Value!;
            var project = Path.Combine(root, "tests", "MyBi.TestServers.ClickHouse", "MyBi.TestServers.ClickHouse.csproj");

            // artifacts/bin/MyBi.Cli.Tests/<pivot>/ -> artifacts/
            var artifacts = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Parent!.Parent!.FullName;
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "build", project, "-c", "Release", "--artifacts-path", artifacts, "-nologo", "-v", "q" })
            {
                info.ArgumentList.Add(arg);
            }

            using var build = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
            var messages = build.StandardOutput.ReadToEndAsync();
            var errors = build.StandardError.ReadToEndAsync();
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await build.WaitForExitAsync(bound.Token);
            Assert.True(build.ExitCode == 0, await messages + await errors);

            // The pivot folder is "release" or "release_<rid>", depending on the runtime identifier the build uses.
            var output = Path.Combine(artifacts, "bin", "MyBi.TestServers.ClickHouse");
            var server = Directory.EnumerateFiles(output, "MyBi.TestServers.ClickHouse.dll", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(Path.GetDirectoryName(f)!).StartsWith("release", StringComparison.Ordinal))
                .MaxBy(File.GetLastWriteTimeUtc);
            Assert.True(server is not null, $"the build produced no MyBi.TestServers.ClickHouse.dll under {output}");
            return server!;
        }
    }
}
