using System.Diagnostics;
using System.Globalization;
using System.Text;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>DuckDB allows one process per file while it writes: a sync that finds the file held waits for it.</summary>
public sealed class DuckDbLockTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-lock-").FullName;
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { Seed = 5, Companies = 1, DaysBack = 3, DaysForward = 1, Today = TestClock.Today, TimeProvider = TestClock.Running });
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Sync_FileHeldByAnotherProcess_WaitsSaysSoAndSucceedsOnceReleased()
    {
        var pipeline = await CreatedAsync("waits");
        var events = new List<string>();
        using var holder = Hold(Path.Combine(_folder, "waits.duckdb"));
        Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());
        events.Add("held");

        using var sync = Start(pipeline, "--wait", "600");
        var stderr = new StringBuilder();
        while (await sync.StandardError.ReadLineAsync() is { } line)
        {
            stderr.AppendLine(line);
            if (line.StartsWith("waiting up to 600 s for the DuckDB file", StringComparison.Ordinal))
            {
                events.Add(sync.HasExited ? "sync ended while held" : "sync waiting");
                break;
            }
        }

        holder.StandardInput.Close();
        await holder.WaitForExitAsync();
        events.Add("released");
        var rest = sync.StandardError.ReadToEndAsync();
        var stdout = await sync.StandardOutput.ReadToEndAsync();
        await sync.WaitForExitAsync();
        stderr.Append(await rest);
        events.Add($"sync exit {sync.ExitCode}");

        Assert.True(events.SequenceEqual(["held", "sync waiting", "released", "sync exit 0"]), string.Join(" -> ", events) + "\n" + stdout + stderr);
        Assert.Contains("the DuckDB file is free now", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains(": succeeded, run ", stdout, StringComparison.Ordinal);
        var staff = await _pipelines.QueryOneAsync(pipeline, "select count(*) as n from staff");
        Assert.Equal(_server.Data.Staff(_pipelines.CompanyId).Count, staff.GetProperty("n").GetInt64());
    }

    [Fact]
    public async Task SyncAndQuery_FileStillHeld_RetryableExitOneSayingWhy()
    {
        var pipeline = await CreatedAsync("gives-up");
        using var holder = Hold(Path.Combine(_folder, "gives-up.duckdb"));
        try
        {
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());

            var sync = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--streams", "staff", "--wait", "0");
            var query = await CliProcess.RunAsync(_folder, null, "query", pipeline, "select count(*) from staff");
            var status = await CliProcess.RunAsync(_folder, null, "status", pipeline);

            foreach (var result in new[] { sync, query, status })
            {
                Assert.True(result.ExitCode == 1, result.ToString());
                Assert.Contains("is locked by another process", result.Stderr, StringComparison.Ordinal);
                Assert.Contains("load into PostgreSQL", result.Stderr, StringComparison.Ordinal);
            }
        }
        finally
        {
            holder.StandardInput.Close();
            await holder.WaitForExitAsync();
        }
    }

    private async Task<string> CreatedAsync(string name)
    {
        var pipeline = _pipelines.WriteWith(name, _pipelines.TokenConfig(), "[staff]");
        var first = await CliProcess.RunAsync(_folder, null, "sync", pipeline);
        Assert.True(first.ExitCode == 0, first.ToString());
        return pipeline;
    }

    /// <summary>Another process holding the file the way DuckDB does: a POSIX record lock over it.</summary>
    private static Process Hold(string path) => Process.Start(new ProcessStartInfo("python3")
    {
        RedirectStandardOutput = true,
        RedirectStandardInput = true,
        ArgumentList = { "-c", "import fcntl,sys; f=open(sys.argv[1],'r+'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()", path },
    })!;

    private static Process Start(string pipeline, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(pipeline)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Path.Combine(CliProcess.CliDirectory, "mybi.dll"));
        info.ArgumentList.Add("sync");
        info.ArgumentList.Add(pipeline);
        info.ArgumentList.Add("--streams");
        info.ArgumentList.Add("staff");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("MYBI_PLUGINS_PATH");
        info.Environment["MYBI_NOW"] = TestClock.EngineNow;
        return Process.Start(info)!;
    }

    [Fact]
    public async Task Check_GoodAndBadToken_SaysWhatWorksAndLoadsNothing()
    {
        var good = _pipelines.WriteWith("checked", _pipelines.TokenConfig(), "[staff]");
        var bad = _pipelines.WriteWith("badtoken", _pipelines.TokenConfig(userToken: "0000000000000000000000000000dead"), "[staff]");
        var before = _server.Stats.RequestsFor("/company/{company_id}/staff");

        var ok = await CliProcess.RunAsync(_folder, null, "check", good);
        var failed = await CliProcess.RunAsync(_folder, null, "check", bad);

        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("ok      source yclients", ok.Stdout, StringComparison.Ordinal);
        Assert.Contains($"ok        company {_pipelines.CompanyId}", ok.Stdout, StringComparison.Ordinal);
        Assert.Contains("the user may read the staff list", ok.Stdout, StringComparison.Ordinal);
        Assert.Contains("ok      destination DuckDB file", ok.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("FAILED  source yclients", failed.Stdout, StringComparison.Ordinal);
        Assert.Contains("ok      destination DuckDB file", failed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("0000000000000000000000000000dead", failed.All, StringComparison.Ordinal);
        // The good token's check probes the staff right once (one row); the bad one stops at the company card.
        Assert.Equal(before + 1, _server.Stats.RequestsFor("/company/{company_id}/staff"));
        Assert.False(File.Exists(Path.Combine(_folder, "checked.duckdb")));
    }

    [Fact]
    public async Task Check_UserWithoutSomeRights_SaysPerCompanyWhichRightsAreMissing()
    {
        var pipeline = _pipelines.WriteWith("limitedcheck", _pipelines.TokenConfig(userToken: SandboxCredentials.LimitedUserToken), "[clients, records, finance_transactions]");
        var records = _server.Stats.RequestsFor("/records/{company_id}");

        var result = await CliProcess.RunAsync(_folder, null, "check", pipeline);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stdout.Split('\n'), l => l.Contains($"company {_pipelines.CompanyId}", StringComparison.Ordinal));
        Assert.StartsWith("FAILED    company", line, StringComparison.Ordinal);
        Assert.Contains("no right to read records, read finance transactions (403)", line, StringComparison.Ordinal);
        Assert.Contains("so records, finance_transactions would not load", line, StringComparison.Ordinal);
        Assert.DoesNotContain("read clients", line, StringComparison.Ordinal);
        Assert.Contains("some checks failed; nothing was loaded.", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxCredentials.LimitedUserToken, result.All, StringComparison.Ordinal);
        Assert.Equal(records + 1, _server.Stats.RequestsFor("/records/{company_id}"));
        Assert.False(File.Exists(Path.Combine(_folder, "limitedcheck.duckdb")));
    }

    [Fact]
    public async Task Query_CsvAndJson_PrintEveryRowNestedAsJson()
    {
        var pipeline = await CreatedAsync("printed");
        const string Sql = "select i, [i, i + 1] as pair, 'a,\"b' as text from range(1500) t(i) order by i";

        var csv = await CliProcess.RunAsync(_folder, null, "query", pipeline, Sql, "--csv");
        var json = await CliProcess.RunAsync(_folder, null, "query", pipeline, Sql, "--json");
        var table = await CliProcess.RunAsync(_folder, null, "query", pipeline, Sql);

        Assert.True(csv.ExitCode == 0, csv.ToString());
        var lines = csv.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1501, lines.Length);
        Assert.Equal("i,pair,text", lines[0]);
        Assert.Equal("1499,\"[1499,1500]\",\"a,\"\"b\"", lines[^1]);
        Assert.True(json.ExitCode == 0, json.ToString());
        var rows = System.Text.Json.JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal(1500, rows.GetArrayLength());
        Assert.Equal(1500, rows[1499].GetProperty("pair")[1].GetInt64());
        Assert.Contains("(1000 rows, more not shown: raise --limit)", table.Stdout, StringComparison.Ordinal);
    }
}
