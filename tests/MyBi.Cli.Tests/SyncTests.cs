using System.Globalization;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

public sealed class SyncTests : IAsyncLifetime
{
    private static readonly DateOnly s_today = TestClock.Today;
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-sync-").FullName;
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    private static SandboxOptions Options(double faultRate = 0) => new() { Seed = 7, Companies = 1, Today = s_today, TimeProvider = TestClock.Running, FaultRate = faultRate };

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(Options());
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task AssertMatchesSandboxAsync(SandboxPipeline pipelines, string pipeline, DateOnly from, DateOnly to)
    {
        var data = pipelines.Server.Data;
        var company = pipelines.CompanyId;
        var records = data.RecordsBetween(company, from, to, includeDeleted: true);
        var lines = records.SelectMany(r => r.Services).ToList();

        var r = await pipelines.QueryOneAsync(pipeline, "select count(*) as n, sum(case when deleted then 1 else 0 end) as deleted, count(distinct company_id) as companies from records");
        Assert.Equal(records.Count, r.GetProperty("n").GetInt64());
        Assert.Equal(records.Count(x => x.Deleted), r.GetProperty("deleted").GetInt64());
        Assert.Equal(1, r.GetProperty("companies").GetInt64());

        var s = await pipelines.QueryOneAsync(pipeline, "select count(*) as n, sum(cost) as cost, sum(first_cost) as first_cost, sum(amount) as amount from record_services");
        Assert.Equal(lines.Count, s.GetProperty("n").GetInt64());
        Assert.Equal(lines.Sum(l => l.Cost), s.GetProperty("cost").GetDecimal());
        Assert.Equal(lines.Sum(l => l.FirstCost), s.GetProperty("first_cost").GetDecimal());

        var c = await pipelines.QueryOneAsync(pipeline, "select (select count(*) from clients) as clients, (select count(*) from services) as services, (select count(*) from service_categories) as categories, (select count(*) from staff) as staff, (select count(*) from companies) as companies");
        Assert.Equal(data.Clients(company).Count, c.GetProperty("clients").GetInt64());
        Assert.Equal(data.Services(company).Count, c.GetProperty("services").GetInt64());
        Assert.Equal(data.ServiceCategories(company).Count, c.GetProperty("categories").GetInt64());
        Assert.Equal(data.Staff(company).Count, c.GetProperty("staff").GetInt64());
        Assert.Equal(data.AccessibleCompanies.Count, c.GetProperty("companies").GetInt64());
    }

    [Fact]
    public async Task Sync_Period_WritesExactlyTheSandboxRows_AndAgainKeepsCounts()
    {
        var from = s_today.AddDays(-20);
        var to = s_today.AddDays(-5);
        var pipeline = _pipelines.Write("period", _pipelines.TokenConfig());

        var first = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(from), "--to", D(to));
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("record_services", first.Stdout, StringComparison.Ordinal);
        await AssertMatchesSandboxAsync(_pipelines, pipeline, from, to);

        var second = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(from), "--to", D(to));
        Assert.True(second.ExitCode == 0, second.ToString());
        await AssertMatchesSandboxAsync(_pipelines, pipeline, from, to);

        var runs = await _pipelines.QueryOneAsync(pipeline, "select count(*) as runs, sum(rows_written) as rows from _mybi_runs where status = 'succeeded'");
        Assert.Equal(2, runs.GetProperty("runs").GetInt64());
    }

    [Fact]
    public async Task Sync_WithInjectedFaultsAndRateLimit_EndsWithTheSameRows()
    {
        await using var faulty = await SandboxServer.StartAsync(Options(faultRate: 0.1));
        var pipelines = new SandboxPipeline(_folder, faulty);
        var from = s_today.AddDays(-20);
        var to = s_today.AddDays(-5);
        var pipeline = pipelines.Write("faulty", pipelines.TokenConfig());

        var run = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(from), "--to", D(to));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(faulty.Stats.FaultsSent > 0, "the sandbox injected no fault: the test proves nothing");
        Assert.Equal(0, faulty.Stats.RateLimitedRequests);
        await AssertMatchesSandboxAsync(pipelines, pipeline, from, to);
    }

    private static void AssertOneClearLine(CliResult result, string expectedFragment, params string[] secrets)
    {
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, result.ToString());
        Assert.StartsWith("error:", lines[0], StringComparison.Ordinal);
        Assert.Contains(expectedFragment, lines[0], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, result.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sync_WrongPassword_OneLineExit2NoSecret()
    {
        const string password = "definitely-wrong-password-123";
        var config = $"{{base_url: \"{_server.BaseUrl}\", partner_token: \"{SandboxCredentials.PartnerToken}\", login: \"{SandboxCredentials.Login}\", password: \"{password}\", company_id: {_pipelines.CompanyId}}}";
        var result = await CliProcess.RunAsync(_folder, null, "sync", _pipelines.Write("badpass", config));
        Assert.Equal(2, result.ExitCode);
        AssertOneClearLine(result, "password", password, SandboxCredentials.PartnerToken);
        Assert.False(File.Exists(Path.Combine(_folder, "badpass.duckdb")), "the login is checked before the warehouse is created");
    }

    [Fact]
    public async Task Sync_WrongCompany_OneLineExit2()
    {
        var result = await CliProcess.RunAsync(_folder, null, "sync", _pipelines.Write("badcompany", _pipelines.TokenConfig(companyId: 999999)));
        Assert.Equal(2, result.ExitCode);
        AssertOneClearLine(result, "999999", SandboxCredentials.PartnerToken, SandboxCredentials.UserToken);
        Assert.False(File.Exists(Path.Combine(_folder, "badcompany.duckdb")), "the source is checked before the warehouse is created");
    }

    [Fact]
    public async Task Sync_UnreachableBaseUrl_OneLineExit1()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var result = await CliProcess.RunAsync(_folder, null, "sync", _pipelines.Write("unreachable", _pipelines.TokenConfig(baseUrl: $"http://127.0.0.1:{port}/api/v1")));
        Assert.Equal(1, result.ExitCode);
        AssertOneClearLine(result, $"127.0.0.1:{port}", SandboxCredentials.PartnerToken, SandboxCredentials.UserToken);
    }

    [Fact]
    public async Task Sync_UserWithoutRights_OneLineExit2()
    {
        var result = await CliProcess.RunAsync(_folder, null, "sync", _pipelines.Write("norights", _pipelines.TokenConfig(userToken: SandboxCredentials.LimitedUserToken), streams: "[records]"));
        Assert.Equal(2, result.ExitCode);
        AssertOneClearLine(result, "right", SandboxCredentials.PartnerToken, SandboxCredentials.LimitedUserToken);
    }
}
