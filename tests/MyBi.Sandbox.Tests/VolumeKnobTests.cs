using System.Net;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

/// <summary>The load-test knobs: an exact number of records per company and day, and the record of answered pages.</summary>
public sealed class VolumeKnobTests
{
    [Fact]
    public async Task RecordsPerDay_EveryCompanyAndDay_HasExactlyThatMany()
    {
        // 150 a day is more than 6 employees' working hours hold, so the day has to start over to reach it.
        await using var server = await SandboxServer.StartAsync(Options(seed: 7, companies: 3, recordsPerDay: 150));

        Assert.Equal(3, server.Data.AccessibleCompanies.Count);
        foreach (var company in server.Data.AccessibleCompanies)
        {
            var byDay = server.Data.Records(company.Id).GroupBy(r => r.Day).ToDictionary(g => g.Key, g => g.Count());
            var days = Enumerable.Range(-9, 10).Select(SandboxFixture.Day).ToList();
            Assert.Equal(days, byDay.Keys.Order().ToList());
            Assert.All(days, day => Assert.Equal(150, byDay[day]));
        }
    }

    [Fact]
    public async Task RecordsPerDay_ServedOverHttp_TotalIsCompaniesTimesDaysTimesRecords()
    {
        await using var server = await SandboxServer.StartAsync(Options(seed: 3, companies: 2, recordsPerDay: 25));
        using var api = new ApiClient(server);

        var total = 0L;
        foreach (var company in server.Data.AccessibleCompanies)
        {
            var response = await api.GetAsync($"records/{company.Id}?count=300&with_deleted=1&start_date={SandboxFixture.Iso(-9)}&end_date={SandboxFixture.Iso(0)}");
            Assert.Equal(HttpStatusCode.OK, response.Status);
            total += response.Meta.GetProperty("total_count").GetInt64();
        }

        Assert.Equal(2 * 10 * 25, total);
    }

    [Fact]
    public async Task RecordsPerDay_SameSeed_SameRecords_OtherSeed_OtherRecords()
    {
        await using var first = await SandboxServer.StartAsync(Options(seed: 11, companies: 2, recordsPerDay: 90));
        await using var second = await SandboxServer.StartAsync(Options(seed: 11, companies: 2, recordsPerDay: 90));
        await using var other = await SandboxServer.StartAsync(Options(seed: 12, companies: 2, recordsPerDay: 90));

        foreach (var company in first.Data.AccessibleCompanies)
        {
            Assert.Equal(Fingerprint(first, company.Id), Fingerprint(second, company.Id));
            Assert.NotEqual(Fingerprint(first, company.Id), Fingerprint(other, company.Id));
            Assert.Equal(Fingerprint(first, company.Id).Count, Fingerprint(other, company.Id).Count);
        }
    }

    [Fact]
    public void RecordsPerDay_Negative_IsRefusedNamingTheOption()
    {
        var error = Assert.Throws<ArgumentException>(new SandboxOptions { RecordsPerDay = -1 }.Validate);
        Assert.Equal(nameof(SandboxOptions.RecordsPerDay), error.ParamName);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RecordAnsweredTargets_KeepsThePagesAnswered200_OnlyWhenAsked(bool record)
    {
        var options = SandboxFixture.Options();
        options.RecordAnsweredTargets = record;
        await using var server = await SandboxServer.StartAsync(options);
        using var api = new ApiClient(server);

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("records/100001?count=50&page=2")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("records/999999?count=50")).Status);

        Assert.Equal(record ? ["/api/v1/records/100001?count=50&page=2"] : [], server.Stats.AnsweredTargets);
    }

    private static SandboxOptions Options(int seed, int companies, int recordsPerDay)
    {
        var options = SandboxFixture.Options();
        options.Seed = seed;
        options.Companies = companies;
        options.DaysBack = 9;
        options.DaysForward = 0;
        options.RecordsPerDay = recordsPerDay;
        return options;
    }

    private static List<string> Fingerprint(SandboxServer server, long companyId) =>
        [.. server.Data.Records(companyId).Select(r => $"{r.Id}|{r.StaffId}|{r.Datetime:O}|{r.Deleted}")];
}
