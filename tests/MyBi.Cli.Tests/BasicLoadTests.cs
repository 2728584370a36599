using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox;
using Xunit.Abstractions;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>
/// Acceptance of the YCLIENTS basic load through the real <c>mybi</c> program: every table against the sandbox's
/// own data, filters, table selection, the first-run window, the plan's limits, a chain with a forbidden company,
/// and the request budget under faults and the rate limit.
/// </summary>
public sealed class BasicLoadTests : IAsyncLifetime
{
    private const string AllStreams =
        "[companies, records, record_services, record_goods, clients, services, service_categories, staff, finance_transactions, goods_transactions, storages, goods, visits, documents]";

    private static readonly DateOnly s_today = TestClock.Today;

    // Three past days for the loads that need no particular rows.
    private static readonly DateOnly s_from = s_today.AddDays(-12);
    private static readonly DateOnly s_to = s_today.AddDays(-10);

    private readonly ITestOutputHelper _output;
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-basicload-").FullName;
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public BasicLoadTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// The class's tests run one process after another, each with a fresh request budget of its own; the sandbox
    /// would count them as one client and answer 429s that only slow the class down. The connector still keeps
    /// itself to 5 requests a second; the rate test starts its own rate-limited sandbox.
    /// </summary>
    private static SandboxOptions Options(int companies = 1, bool rateLimit = false, double faultRate = 0) => new()
    {
        Seed = 11,
        Companies = companies,
        StaffPerCompany = 3,
        DaysBack = 20,
        Today = s_today,
        TimeProvider = TestClock.Running,
        RateLimitEnabled = rateLimit,
        FaultRate = faultRate,
    };

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

    private static string Config(SandboxServer server, string company, string extra = "") =>
        $"{{base_url: \"{server.BaseUrl}\", partner_token: \"{SandboxCredentials.PartnerToken}\", user_token: \"{SandboxCredentials.UserToken}\", {company}{extra}}}";

    private string Config(string extra = "") => Config(_server, $"company_id: {_pipelines.CompanyId}", extra);

    private static Task<CliResult> SyncAsync(SandboxPipeline pipelines, string pipeline, params string[] args) =>
        CliProcess.RunAsync(pipelines.Folder, null, ["sync", pipeline, .. args]);

    private static List<long> Longs(JsonElement rows, string column) =>
        rows.EnumerateArray().Select(r => r.GetProperty(column).GetInt64()).ToList();

    // ---------------------------------------------------------------- 1. every table

    [Fact]
    public async Task Sync_AllStreamsForAPeriod_EveryTableMatchesTheSandbox()
    {
        var (from, to) = RichPeriod(_server.Data, _pipelines.CompanyId);
        var pipeline = _pipelines.WriteWith("alltables", Config(", documents: {details: true}"), AllStreams);

        var run = await SyncAsync(_pipelines, pipeline, "--from", D(from), "--to", D(to));

        Assert.True(run.ExitCode == 0, run.ToString());
        await AssertEveryTableMatchesAsync(_pipelines, pipeline, from, to);
    }

    /// <summary>
    /// Three past days (the load stays around a hundred requests) with goods sales and deleted records, and with a
    /// deleted payment when the history has one. The dataset follows the real date, so the days are chosen from it.
    /// </summary>
    private static (DateOnly From, DateOnly To) RichPeriod(SandboxData data, long company)
    {
        var periods = Enumerable.Range(2, 16)
            .Select(back => (From: s_today.AddDays(-back - 2), To: s_today.AddDays(-back)))
            .Select(p => (Period: p, Load: ExpectedLoad.Of(data, company, p.From, p.To)))
            .Where(p => p.Load.Records.Any(r => r.Deleted) && p.Load.Records.Any(r => r.Goods.Count > 0))
            .ToList();
        Assert.NotEmpty(periods);
        return periods.FirstOrDefault(p => p.Load.Finance.Any(t => t.Deleted), periods[0]).Period;
    }

    /// <summary>What the sandbox holds for one company and period, table by table.</summary>
    private sealed record ExpectedLoad(
        IReadOnlyList<SandboxRecord> Records,
        IReadOnlyList<SandboxFinanceTransaction> Finance,
        IReadOnlyList<SandboxGoodsTransaction> GoodsTransactions,
        IReadOnlyList<long> DocumentIds,
        IReadOnlyList<long> ExistingDocumentIds)
    {
        public static ExpectedLoad Of(SandboxData data, long company, DateOnly from, DateOnly to)
        {
            var records = data.RecordsBetween(company, from, to, includeDeleted: true);
            var finance = data.FinanceTransactions(company).Where(t => InPeriod(t.Date, from, to)).ToList();
            var goods = data.GoodsTransactions(company).Where(t => InPeriod(t.CreateDate, from, to)).ToList();

            // Documents have no list: the connector fetches every id the records and transactions of the load name.
            var referenced = records.SelectMany(r => r.DocumentIds)
                .Concat(finance.Select(t => t.DocumentId))
                .Concat(goods.Select(t => t.DocumentId))
                .Where(id => id > 0).Distinct().Order().ToList();
            var existing = data.Documents(company).Select(d => d.Id).ToHashSet();
            return new ExpectedLoad(records, finance, goods, referenced, referenced.Where(existing.Contains).ToList());
        }

        /// <summary>The sandbox's times carry the company's offset; start_date/end_date compare their local date.</summary>
        private static bool InPeriod(DateTimeOffset local, DateOnly from, DateOnly to) =>
            DateOnly.FromDateTime(local.DateTime) is var day && day >= from && day <= to;
    }

    private static async Task AssertEveryTableMatchesAsync(SandboxPipeline pipelines, string pipeline, DateOnly from, DateOnly to)
    {
        var data = pipelines.Server.Data;
        var company = pipelines.CompanyId;
        var expected = ExpectedLoad.Of(data, company, from, to);
        var lines = expected.Records.SelectMany(r => r.Services.Select(s => (r.Id, Line: s))).ToList();
        var goodsLines = expected.Records.SelectMany(r => r.Goods).ToList();
        Assert.True(goodsLines.Count > 0 && expected.Records.Any(r => r.Deleted) && expected.ExistingDocumentIds.Count > 0,
            "the period lacks goods sales, deleted records or documents: the test would prove less than it claims");

        var t = await pipelines.QueryOneAsync(pipeline, """
            select
              (select count(*) from companies) as companies,
              (select max(id) from companies) as company_id,
              (select count(*) from records) as records,
              (select count(*) from records where deleted) as records_deleted,
              (select sum(id) from records) as record_ids,
              (select count(*) from record_services) as record_services,
              (select sum(cost) from record_services) as record_services_cost,
              (select sum(first_cost) from record_services) as record_services_first_cost,
              (select count(*) from record_goods) as record_goods,
              (select sum(cost) from record_goods) as record_goods_cost,
              (select count(*) from visits) as visits,
              (select count(*) from clients) as clients,
              (select count(*) from services) as services,
              (select count(*) from service_categories) as service_categories,
              (select count(*) from staff) as staff,
              (select count(*) from storages) as storages,
              (select count(*) from goods) as goods,
              (select sum(cost) from goods) as goods_cost,
              (select count(*) from finance_transactions) as finance,
              (select count(*) from finance_transactions where deleted) as finance_deleted,
              (select sum(amount) from finance_transactions) as finance_amount,
              (select count(*) from goods_transactions) as goods_transactions,
              (select sum(cost) from goods_transactions) as goods_transactions_cost,
              (select sum(amount) from goods_transactions) as goods_transactions_amount,
              (select count(*) from documents) as documents
            """);

        Assert.Equal(1, t.GetProperty("companies").GetInt64());
        Assert.Equal(company, t.GetProperty("company_id").GetInt64());
        Assert.Equal(expected.Records.Count, t.GetProperty("records").GetInt64());
        Assert.Equal(expected.Records.Count(r => r.Deleted), t.GetProperty("records_deleted").GetInt64());
        Assert.Equal(expected.Records.Sum(r => r.Id), t.GetProperty("record_ids").GetInt64());
        Assert.Equal(lines.Select(l => (l.Id, l.Line.ServiceId)).Distinct().Count(), t.GetProperty("record_services").GetInt64());
        Assert.Equal(lines.Sum(l => l.Line.Cost), t.GetProperty("record_services_cost").GetDecimal());
        Assert.Equal(lines.Sum(l => l.Line.FirstCost), t.GetProperty("record_services_first_cost").GetDecimal());
        Assert.Equal(goodsLines.Count, t.GetProperty("record_goods").GetInt64());
        Assert.Equal(goodsLines.Sum(g => g.Cost), t.GetProperty("record_goods_cost").GetDecimal());
        Assert.Equal(expected.Records.Select(r => r.VisitId).Where(v => v > 0).Distinct().Count(), t.GetProperty("visits").GetInt64());
        Assert.Equal(data.Clients(company).Count, t.GetProperty("clients").GetInt64());
        Assert.Equal(data.Services(company).Count, t.GetProperty("services").GetInt64());
        Assert.Equal(data.ServiceCategories(company).Count, t.GetProperty("service_categories").GetInt64());
        Assert.Equal(data.Staff(company).Count, t.GetProperty("staff").GetInt64());
        Assert.Equal(data.Storages(company).Count, t.GetProperty("storages").GetInt64());
        Assert.Equal(data.Goods(company).Count, t.GetProperty("goods").GetInt64());
        Assert.Equal(data.Goods(company).Sum(g => g.Cost), t.GetProperty("goods_cost").GetDecimal());
        Assert.Equal(expected.Finance.Count, t.GetProperty("finance").GetInt64());
        Assert.Equal(expected.Finance.Count(f => f.Deleted), t.GetProperty("finance_deleted").GetInt64());
        Assert.Equal(expected.Finance.Sum(f => f.Amount), t.GetProperty("finance_amount").GetDecimal());
        Assert.Equal(expected.GoodsTransactions.Count, t.GetProperty("goods_transactions").GetInt64());
        Assert.Equal(expected.GoodsTransactions.Sum(g => g.Cost), t.GetProperty("goods_transactions_cost").GetDecimal());
        Assert.Equal(expected.GoodsTransactions.Sum(g => g.Amount), t.GetProperty("goods_transactions_amount").GetDecimal());
        Assert.Equal(expected.ExistingDocumentIds.Count, t.GetProperty("documents").GetInt64());

        var documents = await pipelines.QueryAsync(pipeline, "select id from documents order by id", limit: 100_000);
        Assert.Equal(expected.ExistingDocumentIds, Longs(documents, "id"));
    }

    // ---------------------------------------------------------------- 2. filters

    [Fact]
    public async Task Sync_RecordsFilteredByServiceCategory_LoadsOnlyTheirRecordsAndTheirLines()
    {
        var data = _server.Data;
        var company = _pipelines.CompanyId;
        var from = s_today.AddDays(-16);
        var to = s_to;
        var categoryOf = data.Services(company).ToDictionary(s => s.Id, s => s.CategoryId);
        bool Has(SandboxRecord r, long category) => r.Services.Any(s => categoryOf[s.ServiceId] == category);

        // A category some records of the period have and others do not, so the filter has something to drop.
        var before = data.RecordsBetween(company, from, to, includeDeleted: true);
        var category = data.ServiceCategories(company)
            .Select(c => (c.Id, Count: before.Count(r => Has(r, c.Id))))
            .Where(c => c.Count > 0 && c.Count < before.Count)
            .OrderByDescending(c => c.Count).First().Id;

        // Staff serve one category each, so no generated record mixes categories: one more record has a service of
        // the category and one of another, and both its lines must stay.
        var other = data.Services(company).First(s => s.CategoryId != category);
        var mixed = data.AddRecord(company, new SandboxNewRecord
        {
            StaffId = data.Staff(company)[0].Id,
            LocalStart = from.AddDays(1).ToDateTime(new TimeOnly(12, 0)),
            ServiceIds = [data.Services(company).First(s => s.CategoryId == category).Id, other.Id],
        });
        var all = data.RecordsBetween(company, from, to, includeDeleted: true);
        var kept = all.Where(r => Has(r, category)).OrderBy(r => r.Id).ToList();
        Assert.Contains(kept, r => r.Id == mixed.Id);
        _output.WriteLine($"category {category}: {kept.Count} of {all.Count} records kept");

        var pipeline = _pipelines.WriteWith("filtered", Config(), "[records, record_services]", filters: $"{{records: {{service_category_id: [{category}]}}}}");
        var run = await SyncAsync(_pipelines, pipeline, "--from", D(from), "--to", D(to));

        Assert.True(run.ExitCode == 0, run.ToString());
        var records = await _pipelines.QueryAsync(pipeline, "select id from records order by id", limit: 100_000);
        Assert.Equal(kept.Select(r => r.Id), Longs(records, "id"));
        var lines = await _pipelines.QueryAsync(pipeline, "select record_id, service_id, cost from record_services order by record_id, service_id", limit: 100_000);
        var expectedLines = kept.SelectMany(r => r.Services.Select(s => (r.Id, s.ServiceId, s.Cost)))
            .GroupBy(l => (l.Id, l.ServiceId)).Select(g => (g.Key.Id, g.Key.ServiceId, Cost: g.Sum(l => l.Cost)))
            .OrderBy(l => l.Id).ThenBy(l => l.ServiceId).ToList();
        var actualLines = lines.EnumerateArray()
            .Select(l => (l.GetProperty("record_id").GetInt64(), l.GetProperty("service_id").GetInt64(), l.GetProperty("cost").GetDecimal())).ToList();
        Assert.Equal(expectedLines, actualLines);
    }

    [Fact]
    public async Task Sync_UnknownFilterField_PositionedValidationErrorExit2WithoutRequests()
    {
        // The filter's unknown key 'colour' is on line 6 of the file.
        var pipeline = _pipelines.WriteWith("badfilter", Config(), "[records, record_services]", filters: "{records: {colour: [1]}}");
        var requests = _server.Stats.TotalRequests;

        var run = await SyncAsync(_pipelines, pipeline, "--from", D(s_from), "--to", D(s_to));

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            l => l.StartsWith(pipeline + ":", StringComparison.Ordinal));
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(pipeline)}:6:[0-9]+: .*colour", line);
        Assert.Equal(requests, _server.Stats.TotalRequests);
        Assert.False(File.Exists(Path.Combine(_folder, "badfilter.duckdb")));
    }

    // ---------------------------------------------------------------- 3. table selection

    [Fact]
    public async Task Sync_OnlyServicesSelected_RequestsNoOtherEndpoint()
    {
        var pipeline = _pipelines.WriteWith("onlyservices", Config(), "[services]");
        var before = _server.Stats.RequestsByTemplate;

        var run = await SyncAsync(_pipelines, pipeline);

        Assert.True(run.ExitCode == 0, run.ToString());
        var after = _server.Stats.RequestsByTemplate;
        var spent = after.Where(kv => kv.Value != before.GetValueOrDefault(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key));
        Assert.Equal(1, spent.GetValueOrDefault("/company/{company_id}/services"));
        foreach (var template in new[]
        {
            "/records/{company_id}", "/clients/{company_id}", "/transactions/{company_id}", "/storages/transactions/{company_id}",
            "/storages/{company_id}", "/goods/{company_id}", "/company/{company_id}/staff", "/company/{company_id}/service_categories",
            "/storage_operations/documents/{company_id}/{document_id}", "/companies", "/auth",
        })
        {
            Assert.False(spent.ContainsKey(template), $"{template} was requested although only services were selected");
        }

        // Opening the session reads the company itself (its time zone); nothing else may be asked.
        Assert.Equal(["/company/{company_id}", "/company/{company_id}/services"], spent.Keys.Order(StringComparer.Ordinal));
        var services = await _pipelines.QueryOneAsync(pipeline, "select count(*) as n from services");
        Assert.Equal(_server.Data.Services(_pipelines.CompanyId).Count, services.GetProperty("n").GetInt64());
    }

    // ---------------------------------------------------------------- 4. first run

    [Fact]
    public async Task Sync_FirstRunWithoutPeriod_LoadsRecordsOfTheLastTwoDaysOnly()
    {
        var data = _server.Data;
        var company = data.Company(_pipelines.CompanyId);
        var pipeline = _pipelines.WriteWith("firstrun", Config(), "[records, record_services, finance_transactions]");

        // The connector's window: first_run_days (2) days ending on the company's today, i.e. yesterday and today.
        var before = CompanyToday(company);
        var run = await SyncAsync(_pipelines, pipeline);
        var after = CompanyToday(company);

        Assert.True(run.ExitCode == 0, run.ToString());
        var records = Longs(await _pipelines.QueryAsync(pipeline, "select id from records order by id", limit: 100_000), "id");
        var finance = (await _pipelines.QueryOneAsync(pipeline, "select count(*) as n from finance_transactions")).GetProperty("n").GetInt64();
        var windows = new[] { before, after }.Distinct().Select(today => (
            Records: data.RecordsBetween(company.Id, today.AddDays(-1), today, includeDeleted: true).Select(r => r.Id).Order().ToList(),
            Finance: data.FinanceTransactions(company.Id).LongCount(t => DateOnly.FromDateTime(t.Date.DateTime) is var d && d >= today.AddDays(-1) && d <= today))).ToList();

        // The company's day may turn while the run is under way; either window is then right.
        Assert.Contains(windows, w => w.Records.SequenceEqual(records) && w.Finance == finance);
        Assert.NotEmpty(records);
        Assert.True(data.Records(company.Id).Count > 3 * records.Count, "the sandbox holds hardly more than two days: the window proves nothing");
    }

    private static DateOnly CompanyToday(SandboxCompany company) =>
        DateOnly.FromDateTime(TestClock.Running.GetUtcNow().ToOffset(company.UtcOffset).DateTime);

    // ---------------------------------------------------------------- 5. plan history cap

    [Fact]
    public async Task Sync_PeriodBeyondThePlanHistory_OneLineExit2WithoutAnyRequest()
    {
        var pipeline = _pipelines.WriteWith("historycap", Config(), "[records, staff]", extra: "plan: {history_days: 30}");
        var requests = _server.Stats.TotalRequests;
        var today = DateOnly.FromDateTime(TestClock.Running.GetUtcNow().UtcDateTime);

        var refused = await SyncAsync(_pipelines, pipeline, "--from", D(today.AddDays(-31)), "--to", D(today.AddDays(-25)));

        Assert.True(refused.ExitCode == 2, refused.ToString());
        var line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error:", line, StringComparison.Ordinal);
        Assert.Contains("30 days", line, StringComparison.Ordinal);
        Assert.Contains("history_days", line, StringComparison.Ordinal);
        Assert.Equal(requests, _server.Stats.TotalRequests);

        // The oldest day the plan allows is accepted.
        var allowed = await SyncAsync(_pipelines, pipeline, "--from", D(today.AddDays(-30)), "--to", D(today.AddDays(-30)));
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.True(_server.Stats.TotalRequests > requests);
    }

    // ---------------------------------------------------------------- 6. row quota

    [Fact]
    public async Task Sync_RowQuotaSmallerThanTheLoad_StopsWithExit1WithinTheQuota_StatusShowsRowsSpent()
    {
        const int quota = 155;
        var pipeline = _pipelines.WriteWith("quota", Config(), "[clients, records, record_services]", extra: $"plan: {{rows_per_month: {quota}}}\nsync: {{batch_size: 10}}");
        Assert.True(_server.Data.Clients(_pipelines.CompanyId).Count > quota, "the load must be larger than the quota");

        var run = await SyncAsync(_pipelines, pipeline, "--from", D(s_from), "--to", D(s_to));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"{quota} rows for this month are spent", run.Stderr, StringComparison.Ordinal);
        var rows = await _pipelines.QueryOneAsync(pipeline, """
            select (select count(*) from clients) + (select count(*) from records) + (select count(*) from record_services) as in_tables,
                   (select sum(rows_written) from _mybi_runs) as spent,
                   (select string_agg(status, ',') from _mybi_runs) as statuses
            """);
        var inTables = rows.GetProperty("in_tables").GetInt64();
        var spent = rows.GetProperty("spent").GetInt64();
        Assert.InRange(inTables, 1, quota);
        Assert.Equal(inTables, spent);
        Assert.Equal("quota_exhausted", rows.GetProperty("statuses").GetString());

        var status = await CliProcess.RunAsync(_folder, null, "status", pipeline);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"rows written in {TestClock.Month}: {spent} of {quota}", status.Stdout, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- 7. a chain with a forbidden company

    [Fact]
    public async Task Sync_SeveralCompaniesOneForbidden_LoadsTheOthersAndWarnsNamingIt()
    {
        await using var chain = await SandboxServer.StartAsync(Options(companies: 2));
        var pipelines = new SandboxPipeline(_folder, chain);
        var data = chain.Data;
        var accessible = data.AccessibleCompanies.Select(c => c.Id).ToList();
        Assert.Equal(2, accessible.Count);
        var restricted = data.RestrictedCompanyId;
        var ids = string.Join(", ", accessible.Append(restricted));
        var pipeline = pipelines.WriteWith("chain", Config(chain, $"company_ids: [{ids}]"), "[companies, records, record_services, staff]");

        var run = await SyncAsync(pipelines, pipeline, "--from", D(s_from), "--to", D(s_to));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.Stdout.Split('\n'), l => l.StartsWith("warning:", StringComparison.Ordinal) && l.Contains(restricted.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.DoesNotContain(SandboxCredentials.UserToken, run.All, StringComparison.Ordinal);

        // The forbidden company's own card is readable with the partner token alone, so its companies row may be there.
        var companies = Longs(await pipelines.QueryAsync(pipeline, "select id from companies order by id"), "id");
        Assert.Equal(accessible, companies.Where(c => c != restricted));
        var records = await pipelines.QueryAsync(pipeline, "select company_id, count(*) as n, sum(id) as ids from records group by company_id order by company_id");
        var lines = await pipelines.QueryAsync(pipeline, "select company_id, count(*) as n, sum(cost) as cost from record_services group by company_id order by company_id");
        var staff = await pipelines.QueryAsync(pipeline, "select company_id, count(*) as n from staff group by company_id order by company_id");
        Assert.Equal(accessible, Longs(records, "company_id"));
        Assert.Equal(accessible, Longs(lines, "company_id"));
        Assert.Equal(accessible, Longs(staff, "company_id"));
        for (var i = 0; i < accessible.Count; i++)
        {
            var company = accessible[i];
            var expected = data.RecordsBetween(company, s_from, s_to, includeDeleted: true);
            Assert.Equal(expected.Count, records[i].GetProperty("n").GetInt64());
            Assert.Equal(expected.Sum(r => r.Id), records[i].GetProperty("ids").GetInt64());
            Assert.Equal(expected.Sum(r => r.Services.Select(s => s.ServiceId).Distinct().Count()), lines[i].GetProperty("n").GetInt64());
            Assert.Equal(expected.Sum(r => r.ServicesCost), lines[i].GetProperty("cost").GetDecimal());
            Assert.Equal(data.Staff(company).Count, staff[i].GetProperty("n").GetInt64());
        }
    }

    // ---------------------------------------------------------------- 8. two-factor login

    [Fact]
    public async Task Sync_TwoFactorLoginInConfig_Exit2TellsToUseAUserToken()
    {
        var config = $"{{base_url: \"{_server.BaseUrl}\", partner_token: \"{SandboxCredentials.PartnerToken}\", login: \"{SandboxCredentials.TwoFactorLogin}\", password: \"{SandboxCredentials.Password}\", company_id: {_pipelines.CompanyId}}}";
        var pipeline = _pipelines.WriteWith("twofactor", config, "[records]");

        var run = await SyncAsync(_pipelines, pipeline);

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error:", line, StringComparison.Ordinal);
        Assert.Contains("two-factor", line, StringComparison.Ordinal);
        Assert.Contains("user_token", line, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxCredentials.Password, run.All, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxCredentials.PartnerToken, run.All, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- 9. request budget and rate

    [Fact]
    public async Task Sync_HistoricalLoadUnderRateLimitAndFaults_SpendsExactlyThePagesNeededPlusTheFaults()
    {
        const int pageSize = 20;
        await using var limited = await SandboxServer.StartAsync(Options(rateLimit: true, faultRate: 0.1));
        var pipelines = new SandboxPipeline(_folder, limited);
        var (from, to) = RichPeriod(limited.Data, pipelines.CompanyId);
        var pipeline = pipelines.WriteWith("budget", Config(limited, $"company_id: {pipelines.CompanyId}", $", page_size: {pageSize}, documents: {{details: true}}"), AllStreams);
        var needed = RequestsNeeded(limited.Data, pipelines.CompanyId, from, to, pageSize);

        var clock = Stopwatch.StartNew();
        var run = await SyncAsync(pipelines, pipeline, "--from", D(from), "--to", D(to));
        clock.Stop();

        Assert.True(run.ExitCode == 0, run.ToString());
        var stats = limited.Stats;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"requests: {stats.TotalRequests} ({needed.Total} needed + {stats.FaultsSent} injected faults), 429: {stats.RateLimitedRequests}, wall {clock.Elapsed.TotalSeconds:F1} s, rate {stats.TotalRequests / clock.Elapsed.TotalSeconds:F2} requests/s"));
        foreach (var (template, count) in stats.RequestsByTemplate.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"  {template}: {count} (needed {needed.ByTemplate.GetValueOrDefault(template)})");
        }

        Assert.True(stats.FaultsSent > 0, "the sandbox injected no fault: the test proves nothing");
        Assert.Equal(0, stats.RateLimitedRequests);
        Assert.Equal(needed.Total + stats.FaultsSent, stats.TotalRequests);
        await AssertEveryTableMatchesAsync(pipelines, pipeline, from, to);
    }

    [Fact]
    public async Task Sync_SixtyDaysOfEveryStreamAsConnectWritesIt_SpendsThePagesAndCatalogsAndNoRequestPerDocument()
    {
        // Every stream, documents included, and no page_size or documents setting: what `mybi connect` writes.
        var options = Options();
        options.DaysBack = 65;

        // A server that gives the page size asked for (the connector's default, 200), so that pages are countable.
        options.MaxPageSize = 200;
        await using var server = await SandboxServer.StartAsync(options);
        var pipelines = new SandboxPipeline(_folder, server);
        var (from, to) = (s_today.AddDays(-59), s_today);
        var pipeline = pipelines.WriteWith("sixty", Config(server, $"company_id: {pipelines.CompanyId}"), AllStreams);
        var needed = RequestsNeeded(server.Data, pipelines.CompanyId, from, to, pageSize: 200, documentDetails: false);

        var run = await SyncAsync(pipelines, pipeline, "--from", D(from), "--to", D(to));

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var (template, count) in server.Stats.RequestsByTemplate.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"  {template}: {count} (needed {needed.ByTemplate.GetValueOrDefault(template)})");
        }

        Assert.Equal(0, server.Stats.RequestsFor("/storage_operations/documents/{company_id}/{document_id}"));
        Assert.Equal(needed.Total, server.Stats.TotalRequests);
        var embedded = ExpectedLoad.Of(server.Data, pipelines.CompanyId, from, to).Records.SelectMany(r => r.DocumentIds).Distinct().Count();
        Assert.True(embedded > 100, $"only {embedded} documents in the records: the test would prove little");
        var documents = await pipelines.QueryOneAsync(pipeline, "select count(*) as n from documents");
        Assert.Equal(embedded, documents.GetProperty("n").GetInt64());
    }

    /// <summary>The requests an explicit-period load of all streams needs, from the sandbox data and the page size.</summary>
    private static (long Total, Dictionary<string, long> ByTemplate) RequestsNeeded(SandboxData data, long company, DateOnly from, DateOnly to, int pageSize, bool documentDetails = true)
    {
        var expected = ExpectedLoad.Of(data, company, from, to);
        var finance = expected.Finance.Where(t => !t.Deleted).Select(t => Day(t.Date)).ToList();
        var deletedFinance = expected.Finance.Where(t => t.Deleted).Select(t => Day(t.Date)).ToList();
        var goodsTransactions = expected.GoodsTransactions.Select(t => Day(t.CreateDate)).ToList();
        var byTemplate = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            // Opening the session reads the configured company; its row is the companies stream.
            ["/company/{company_id}"] = 1,
            ["/company/{company_id}/service_categories"] = 1,
            ["/company/{company_id}/services"] = 1,
            ["/company/{company_id}/staff"] = 1,
            ["/storages/{company_id}"] = 1,
            ["/goods/{company_id}"] = PagesUntilEmpty(data.Goods(company).Count, Math.Min(pageSize, 100)),
            ["/clients/{company_id}"] = Pages(data.Clients(company).Count, Math.Min(pageSize, 200)),
            ["/records/{company_id}"] = Pages(expected.Records.Count, Math.Min(pageSize, 300)),
            ["/transactions/{company_id}"] = Windows(finance, from, to, Math.Min(pageSize, 200)) + Windows(deletedFinance, from, to, Math.Min(pageSize, 200)),
            ["/storages/transactions/{company_id}"] = Windows(goodsTransactions, from, to, Math.Min(pageSize, 200)),
            // Documents a record carries come with it; with details, those found in transactions alone are fetched.
            ["/storage_operations/documents/{company_id}/{document_id}"] = documentDetails ? expected.DocumentIds.Except(expected.Records.SelectMany(r => r.DocumentIds)).Count() : 0,
        };
        return (byTemplate.Values.Sum(), byTemplate);

        static DateOnly Day(DateTimeOffset local) => DateOnly.FromDateTime(local.DateTime);
    }

    /// <summary>
    /// A list with <c>meta.total_count</c> (records, clients) ends on the short page that reaches the total; a full
    /// last page costs one empty page more.
    /// </summary>
    private static long Pages(int rows, int pageSize) => (rows / pageSize) + 1;

    /// <summary>A list without a total (goods, a day of transactions) ends only on an empty page.</summary>
    private static long PagesUntilEmpty(int rows, int pageSize) => rows == 0 ? 1 : ((rows + pageSize - 1) / pageSize) + 1;

    /// <summary>
    /// Transactions are read in windows of 7 days (the last one ending on the period's end), earliest first; a window
    /// of several days costs one request and is halved when that request comes back full; a single day is paged.
    /// Until some page has come back full, a short first page is checked with a second request (the server might
    /// cap the page below what was asked).
    /// </summary>
    private static long Windows(IReadOnlyList<DateOnly> days, DateOnly from, DateOnly to, int pageSize)
    {
        var chunks = new List<(DateOnly Start, DateOnly End)>();
        for (var end = to; end >= from; end = end.AddDays(-7))
        {
            var start = end.AddDays(-6);
            chunks.Add((start < from ? from : start, end));
        }

        chunks.Reverse();
        var honoured = false;
        long requests = 0;
        foreach (var (start, end) in chunks)
        {
            requests += Window(start, end);
        }

        return requests;

        long Window(DateOnly start, DateOnly end)
        {
            var rows = days.Count(d => d >= start && d <= end);
            if (start == end)
            {
                return PagesUntilEmpty(rows, pageSize);
            }

            if (rows < pageSize)
            {
                return rows > 0 && !honoured ? 2 : 1;
            }

            honoured = true;
            var middle = start.AddDays((end.DayNumber - start.DayNumber) / 2);
            return 1 + Window(start, middle) + Window(middle.AddDays(1), end);
        }
    }
}
