using System.Globalization;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

public sealed class TransformTests : IAsyncLifetime
{
    private static readonly DateOnly s_today = TestClock.Today;
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-transform-").FullName;
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { Seed = 5, Companies = 1, Today = s_today, TimeProvider = TestClock.Running, RateLimitEnabled = false });
        _pipelines = new SandboxPipeline(_folder, _server);
        Directory.CreateDirectory(Path.Combine(_folder, "rules"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Examples", "rules", "visits_by_staff.js"), Path.Combine(_folder, "rules", "visits_by_staff.js"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Sync_StreamWithTransform_LandsInTheRuleTablesInsteadOfItsOwn()
    {
        var from = s_today.AddDays(-10);
        var to = s_today.AddDays(-2);
        var pipeline = _pipelines.Write("transformed", _pipelines.TokenConfig(), streams: "[{name: records, transform: rules/visits_by_staff.js}, staff]");

        var run = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.True(run.ExitCode == 0, run.ToString());

        var records = _server.Data.RecordsBetween(_pipelines.CompanyId, from, to, includeDeleted: true);
        var kept = records.Where(r => !r.Deleted).ToList();
        var facts = await _pipelines.QueryOneAsync(pipeline, """
            select count(*) as n, sum(case when came then 1 else 0 end) as came, count(distinct staff) as staff,
                   (select count(*) from information_schema.tables where table_name = 'records') as records_table
            from record_facts
            """);
        Assert.Equal(kept.Count, facts.GetProperty("n").GetInt64());
        Assert.Equal(kept.Count(r => r.Attendance == 1), facts.GetProperty("came").GetInt64());
        Assert.Equal(0, facts.GetProperty("records_table").GetInt64());
        var staff = await _pipelines.QueryOneAsync(pipeline, "select count(*) as n from staff");
        Assert.Equal(_server.Data.Staff(_pipelines.CompanyId).Count, staff.GetProperty("n").GetInt64());
    }
}
