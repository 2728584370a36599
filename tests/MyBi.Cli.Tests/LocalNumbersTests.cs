using System.Globalization;
using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>
/// The numbers an owner reads first: revenue per local day from <c>v_revenue_daily</c> against the sandbox's own
/// truth (records that happened, summed per day of the company's clock), for a Moscow (UTC+3) and a Vladivostok
/// (UTC+10) branch whose evenings end with visits just before local midnight, in every destination.
/// </summary>
public sealed partial class LocalNumbersTests : IAsyncLifetime
{
    private const string Streams = "[records, record_services, record_goods]";
    private static readonly DateOnly s_today = TestClock.Today;
    private static readonly DateOnly s_from = s_today.AddDays(-14);
    private static readonly DateOnly s_to = s_today.AddDays(-1);

    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-local-").FullName;
    private readonly TestWarehouses _warehouses = new("mybi_local_");
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        // Five chain branches: the first is in Moscow (UTC+3), the fifth in Vladivostok (UTC+10).
        _server = await SandboxServer.StartAsync(new SandboxOptions { Seed = 31, Companies = 5, StaffPerCompany = 3, DaysBack = 20, Today = s_today, TimeProvider = TestClock.Running });
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        await _warehouses.DisposeAsync();

        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    [InlineData("clickhouse")]
    public async Task RevenueDaily_PerLocalDay_EqualsTheSandboxTruthForUtcPlus3AndUtcPlus10(string destination)
    {
        var companies = Companies();
        var pipeline = _pipelines.WriteTo(destination, Config(companies), Streams, _warehouses.Destination(destination));

        var run = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(s_from), "--to", D(s_to));
        Assert.True(run.ExitCode == 0, run.ToString());

        var rows = await _pipelines.QueryAsync(
            pipeline, "select company_id, date_local, revenue, visits, cancellations from v_revenue_daily order by company_id, date_local", limit: 10_000);
        var actual = rows.EnumerateArray()
            .Select(r => (Company: Long(r, "company_id"), Day: Day(r, "date_local"), Revenue: Decimal(r, "revenue"), Visits: Long(r, "visits"), Cancellations: Long(r, "cancellations")))
            .Where(r => r.Revenue != 0 || r.Visits != 0 || r.Cancellations != 0)
            .ToList();
        var expected = companies.SelectMany(Truth).ToList();

        Assert.Equal(expected.Select(e => (e.Company, e.Day)), actual.Select(a => (a.Company, a.Day)));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    [InlineData("clickhouse")]
    public async Task Records_LateEveningVisit_HasItsLocalClockAndLocalDay(string destination)
    {
        var companies = Companies();
        var pipeline = _pipelines.WriteTo(destination + "-late", Config(companies), "[records]", _warehouses.Destination(destination));
        var run = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(s_from), "--to", D(s_to));
        Assert.True(run.ExitCode == 0, run.ToString());

        foreach (var company in companies)
        {
            // A visit at 23:40 local: for both zones its UTC day is the same or earlier, never the local one for UTC+10.
            var late = _server.Data.Records(company.Id)
                .Where(r => r.Datetime.Hour == 23 && InPeriod(r))
                .OrderBy(r => r.Id)
                .First();
            var row = await _pipelines.QueryOneAsync(pipeline, $"select datetime_local, date_local from records where id = {late.Id}");
            Assert.Equal(late.Datetime.DateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture), Text(row, "datetime_local")[..16].Replace(' ', 'T'));
            Assert.Equal(DateOnly.FromDateTime(late.Datetime.DateTime), Day(row, "date_local"));
        }

        // BI tools show the column's meaning in both languages, from the stream schema.
        var comment = await _pipelines.QueryOneAsync(pipeline, destination switch
        {
            "postgres" => "select col_description('records'::regclass, (select attnum from pg_attribute where attrelid = 'records'::regclass and attname = 'date_local')) as comment",
            "clickhouse" => "select comment from system.columns where database = currentDatabase() and table = 'records' and name = 'date_local'",
            _ => "select comment from duckdb_columns() where table_name = 'records' and column_name = 'date_local'",
        });
        Assert.Contains("Local calendar day", Text(comment, "comment"), StringComparison.Ordinal);
        Assert.Contains("Местный календарный день", Text(comment, "comment"), StringComparison.Ordinal);
    }

    /// <summary>
    /// Per local day of the company: records not deleted, attended (the sandbox, like YCLIENTS, marks only past records attended), their service lines and
    /// goods summed; distinct visits; deleted records. Days with none of them are left out.
    /// </summary>
    private IEnumerable<(long Company, DateOnly Day, decimal Revenue, long Visits, long Cancellations)> Truth(SandboxCompany company)
    {
        var records = _server.Data.Records(company.Id).Where(InPeriod).ToList();
        var happened = records.Where(r => !r.Deleted && r.Attendance == 1).ToList();
        Assert.Contains(happened, r => r.Datetime.Hour == 23);
        if (company.UtcOffset == TimeSpan.FromHours(10))
        {
            // The point of the test: for UTC+10 the UTC day of many visits is the local day before.
            Assert.Contains(happened, r => DateOnly.FromDateTime(r.Datetime.UtcDateTime) != DateOnly.FromDateTime(r.Datetime.DateTime));
        }

        return records
            .GroupBy(r => DateOnly.FromDateTime(r.Datetime.DateTime))
            .Select(day => (
                company.Id,
                day.Key,
                day.Where(happened.Contains).Sum(r => r.ServicesCost + r.GoodsCost),
                (long)day.Where(happened.Contains).Select(r => r.VisitId).Distinct().Count(),
                (long)day.Count(r => r.Deleted)))
            .Where(d => d.Item3 != 0 || d.Item4 != 0 || d.Item5 != 0)
            .OrderBy(d => d.Key);
    }

    private static bool InPeriod(SandboxRecord record) =>
        DateOnly.FromDateTime(record.Datetime.DateTime) is var day && day >= s_from && day <= s_to;

    private List<SandboxCompany> Companies()
    {
        var companies = new[] { 3, 10 }
            .Select(hours => _server.Data.AccessibleCompanies.First(c => c.UtcOffset == TimeSpan.FromHours(hours)))
            .ToList();
        return companies;
    }

    private string Config(IReadOnlyList<SandboxCompany> companies) =>
        $"{{base_url: \"{_server.BaseUrl}\", partner_token: \"{SandboxCredentials.PartnerToken}\", user_token: \"{SandboxCredentials.UserToken}\", " +
        $"company_ids: [{string.Join(", ", companies.Select(c => c.Id))}], requests_per_second: 1000, requests_per_minute: 100000}}";


    private static string D(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Text(JsonElement row, string column) =>
        row.GetProperty(column) is { ValueKind: JsonValueKind.String } text ? text.GetString()! : row.GetProperty(column).GetRawText();

    private static DateOnly Day(JsonElement row, string column) =>
        DateOnly.ParseExact(Text(row, column)[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long Long(JsonElement row, string column) =>
        long.Parse(Text(row, column), NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static decimal Decimal(JsonElement row, string column) =>
        decimal.Parse(Text(row, column), NumberStyles.Float, CultureInfo.InvariantCulture);
}
