using System.Globalization;
using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>
/// <c>_mybi_journal</c> through the real <c>mybi</c> program on DuckDB, PostgreSQL and ClickHouse: a sync with a
/// forbidden company writes its start, the source's warning and its end (rows per table), and <c>mybi journal</c>
/// reads them back, filtered by kind, with no secret in sight.
/// </summary>
public sealed class JournalTests : IAsyncLifetime
{
    private static readonly DateOnly s_today = TestClock.Today;
    private static readonly DateOnly s_from = s_today.AddDays(-10);
    private static readonly DateOnly s_to = s_today.AddDays(-3);

    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-journal-").FullName;
    private readonly TestWarehouses _warehouses = new("mybi_journal_");
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { Seed = 31, Companies = 1, Today = s_today, TimeProvider = TestClock.Running });
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        await _warehouses.DisposeAsync();

        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public Task Journal_DuckDb_SyncStartWarningAndEndAreEntries() =>
        AssertJournalAsync("{type: duckdb, path: ./journal.duckdb}");

    [Fact]
    public Task Journal_Postgres_SyncStartWarningAndEndAreEntries() =>
        AssertJournalAsync(_warehouses.Postgres());

    [Fact]
    public Task Journal_ClickHouse_SyncStartWarningAndEndAreEntries() =>
        AssertJournalAsync(_warehouses.ClickHouse());

    [Fact]
    public async Task Journal_BadSince_ClearErrorExit2()
    {
        var pipeline = _pipelines.WriteTo("since", _pipelines.TokenConfig(), "[records]", "{type: duckdb, path: ./since.duckdb}");

        var result = await CliProcess.RunAsync(_folder, null, "journal", pipeline, "--since", "a week");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--since takes a number of days or hours, such as 7d or 12h", result.Stderr, StringComparison.Ordinal);
    }

    private async Task AssertJournalAsync(string destination)
    {
        var accessible = _server.Data.AccessibleCompanies[0].Id;
        var restricted = _server.Data.RestrictedCompanyId;
        var config = $"{{base_url: \"{_server.BaseUrl}\", partner_token: \"{SandboxCredentials.PartnerToken}\", user_token: \"{SandboxCredentials.UserToken}\", company_ids: [{accessible}, {restricted}]}}";
        var pipeline = _pipelines.WriteTo("journal", config, "[records, record_services]", destination);
        var sync = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(s_from), "--to", D(s_to));
        Assert.True(sync.ExitCode == 0, sync.ToString());
        var records = _server.Data.RecordsBetween(accessible, s_from, s_to, includeDeleted: true).Count;
        Assert.True(records > 0, "the sandbox period holds no records: the test proves nothing");

        var all = await JournalAsync(pipeline);
        Assert.Equal("sync,warning,sync", string.Join(",", all.Select(e => e.GetProperty("kind").GetString())));
        Assert.All(all, e => Assert.Equal("sync", e.GetProperty("job").GetString()));
        Assert.All(all, e => Assert.Equal("journal", e.GetProperty("pipeline").GetString()));
        var runId = all[0].GetProperty("run_id").GetString();
        Assert.All(all, e => Assert.Equal(runId, e.GetProperty("run_id").GetString()));
        Assert.Equal(D(s_from), all[0].GetProperty("details").GetProperty("period_from").GetString());

        var warning = all[1];
        Assert.Equal("warning", warning.GetProperty("level").GetString());
        Assert.Contains(restricted.ToString(CultureInfo.InvariantCulture), warning.GetProperty("message").GetString(), StringComparison.Ordinal);

        var end = all[2];
        Assert.Equal("info", end.GetProperty("level").GetString());
        var details = end.GetProperty("details");
        Assert.Equal("succeeded", details.GetProperty("status").GetString());
        Assert.Equal(records, details.GetProperty("rows").GetProperty("records").GetInt64());
        Assert.Equal(1, details.GetProperty("warnings").GetInt64());

        var warnings = await JournalAsync(pipeline, "--kind", "warning");
        Assert.Single(warnings);
        Assert.Empty(await JournalAsync(pipeline, "--kind", "reconcile"));
        Assert.Equal(3, (await JournalAsync(pipeline, "--since", "1d")).Count);

        var table = await CliProcess.RunAsync(_folder, null, "journal", pipeline);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("sync succeeded", table.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxCredentials.UserToken, table.All + sync.All, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxCredentials.PartnerToken, table.All, StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> JournalAsync(string pipeline, params string[] options)
    {
        var result = await CliProcess.RunAsync(_folder, null, ["journal", pipeline, "--json", .. options]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(SandboxCredentials.UserToken, result.All, StringComparison.Ordinal);
        return [.. JsonDocument.Parse(result.Stdout).RootElement.Clone().EnumerateArray()];
    }


    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
