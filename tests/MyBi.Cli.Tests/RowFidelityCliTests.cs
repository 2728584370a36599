using MyBi.Testing;
using System.Globalization;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Cli.Tests;

/// <summary>
/// What lands in the warehouse through the real <c>mybi</c> program: ids that are no integer go to the quarantine,
/// unknown fields to <c>_extra</c>, and a quota stop never leaves a record without its service lines.
/// </summary>
public sealed class RowFidelityCliTests : IAsyncLifetime
{
    private static readonly DateOnly s_today = TestClock.Today;

    private static readonly string[] s_badIds = ["\"12345678901234567890\"", "1e30", "1.5", "\"abc\"", "null", ""];

    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-rows-").FullName;
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions { Seed = 5, Companies = 1, StaffPerCompany = 3, DaysBack = 20, Today = s_today, RateLimitEnabled = false };
        foreach (var id in s_badIds)
        {
            options.InjectedRecordIds.Add(id);
        }

        _server = await SandboxServer.StartAsync(options);
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Sync_RecordIdsThatAreNoInteger_GoToTheQuarantineWithTheReason_AndTheRunSucceeds()
    {
        var day = s_today.AddDays(-2);
        var pipeline = _pipelines.Write("badids", _pipelines.TokenConfig(), streams: "[records, record_services]");

        var run = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(day), "--to", D(day));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("warning: Stream 'records': 6 row(s) with an unusable key were set aside in _mybi_quarantine", run.Stdout, StringComparison.Ordinal);
        var expected = _server.Data.RecordsBetween(_pipelines.CompanyId, day, day, includeDeleted: true);
        var counts = await _pipelines.QueryOneAsync(pipeline, """
            select (select count(*) from records) as records, (select count(*) from record_services) as lines,
                   (select count(*) from records where _extra like '%review_requested%' and _extra like '%from_url%') as with_extra,
                   (select status from _mybi_runs) as status, (select message from _mybi_runs) as message
            """);
        Assert.Equal(expected.Count, counts.GetProperty("records").GetInt64());
        Assert.Equal(expected.Count, counts.GetProperty("with_extra").GetInt64());
        Assert.Equal(expected.Sum(r => r.Services.Select(s => s.ServiceId).Distinct().Count()), counts.GetProperty("lines").GetInt64());
        Assert.Equal("succeeded", counts.GetProperty("status").GetString());
        Assert.Contains("6 row(s)", counts.GetProperty("message").GetString(), StringComparison.Ordinal);

        var quarantined = await _pipelines.QueryAsync(pipeline, "select source, row_key, error, row_json from _mybi_quarantine order by row_key");
        Assert.Equal(6, quarantined.GetArrayLength());
        var rows = quarantined.EnumerateArray().ToList();
        Assert.All(rows, q => Assert.Equal("records", q.GetProperty("source").GetString()));
        string[] reasons = ["out of the 64-bit range", "out of range", "not an integer", "has no value"];
        Assert.All(rows, q => Assert.Contains(reasons, r => q.GetProperty("error").GetString()!.Contains(r, StringComparison.Ordinal)));
        Assert.Equal(2, rows.Count(q => q.GetProperty("error").GetString()!.Contains("has no value", StringComparison.Ordinal)));
        Assert.Contains(rows, q => q.GetProperty("row_key").GetString()!.Contains("\"abc\"", StringComparison.Ordinal));
        Assert.Contains(rows, q => q.GetProperty("row_key").GetString()!.Contains("12345678901234567890", StringComparison.Ordinal));
        Assert.All(rows, q => Assert.Contains("\"services\"", q.GetProperty("row_json").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_QuotaStop_EveryStoredRecordHasAllItsServiceLines()
    {
        const int quota = 95;
        var from = s_today.AddDays(-10);
        var to = s_today.AddDays(-1);
        var pipeline = _pipelines.WriteWith("quotalines", _pipelines.TokenConfig(), "[records, record_services]", extra: $"plan: {{rows_per_month: {quota}}}\nsync: {{batch_size: 10}}");
        var sandbox = _server.Data.RecordsBetween(_pipelines.CompanyId, from, to, includeDeleted: true).ToDictionary(r => r.Id);
        Assert.True(sandbox.Count + sandbox.Values.Sum(r => r.Services.Count) > quota, "the load must be larger than the quota");

        var run = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(from), "--to", D(to));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"{quota} rows for this month are spent", run.Stderr, StringComparison.Ordinal);
        var records = (await _pipelines.QueryAsync(pipeline, "select id from records", limit: 10000)).EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToHashSet();
        var lines = (await _pipelines.QueryAsync(pipeline, "select record_id, service_id from record_services", limit: 10000)).EnumerateArray()
            .Select(r => (Record: r.GetProperty("record_id").GetInt64(), Service: r.GetProperty("service_id").GetInt64())).ToList();
        Assert.NotEmpty(records);
        Assert.All(lines, line => Assert.Contains(line.Record, records));
        Assert.All(records, id => Assert.Equal(
            sandbox[id].Services.Select(s => s.ServiceId).Distinct().Order(),
            lines.Where(l => l.Record == id).Select(l => l.Service).Order()));
    }
}
