using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Integration;

public sealed class Block1StreamsTests
{
    private static readonly string[] s_streams = ["companies", "records", "record_services", "clients", "services", "service_categories", "staff"];

    [Fact]
    public async Task ReadAsync_EveryBlock1StreamForAPeriod_LoadsExactlyTheSandboxRows()
    {
        await using var server = await SandboxHarness.StartAsync();
        var from = server.Data.Today.AddDays(-5);
        var to = server.Data.Today.AddDays(2);

        var result = await SandboxHarness.ReadAsync(SandboxHarness.Config(server), SandboxHarness.Request(s_streams, from, to));

        Assert.Empty(result.Warnings);
        Assert.Equal(server.Data.AccessibleCompanies.Select(c => c.Id).Order(), result.Rows("companies").Select(r => ReadResult.Id(r)).Order());
        foreach (var company in server.Data.AccessibleCompanies)
        {
            var records = server.Data.RecordsBetween(company.Id, from, to, includeDeleted: true);
            Assert.NotEmpty(records);
            var loaded = result.Rows("records", company.Id).ToList();
            Assert.Equal(records.Select(r => r.Id).Order(), loaded.Select(r => ReadResult.Id(r)).Order());
            Assert.Equal(records.Count(r => r.Deleted), loaded.Count(r => Lenient.Bool(r["deleted"]) == true));

            var lines = result.Rows("record_services", company.Id).ToList();
            Assert.Equal(records.Sum(r => r.Services.Select(s => s.ServiceId).Distinct().Count()), lines.Count);
            Assert.Equal(records.Sum(r => r.ServicesCost), ReadResult.Sum(lines, "cost"));
            Assert.Equal(records.Sum(r => r.Services.Sum(s => s.FirstCost)), ReadResult.Sum(lines, "first_cost"));
            Assert.Equal(records.Sum(r => r.Services.Sum(s => s.Amount)), ReadResult.Sum(lines, "amount"));

            Assert.Equal(server.Data.Clients(company.Id).Select(c => c.Id).Order(), result.Rows("clients", company.Id).Select(r => ReadResult.Id(r)).Order());
            Assert.Equal(server.Data.Clients(company.Id).Sum(c => c.Spent), ReadResult.Sum(result.Rows("clients", company.Id), "spent"));
            Assert.Equal(server.Data.Services(company.Id).Count, result.Rows("services", company.Id).Count());
            Assert.Equal(server.Data.ServiceCategories(company.Id).Count, result.Rows("service_categories", company.Id).Count());
            Assert.Equal(server.Data.Staff(company.Id).Count, result.Rows("staff", company.Id).Count());
        }
    }

    [Fact]
    public async Task ReadAsync_Records_NaiveDateGetsTheCompanyOffsetAndMatchesDatetime()
    {
        await using var server = await SandboxHarness.StartAsync();
        var day = server.Data.Today.AddDays(-1);

        var result = await SandboxHarness.ReadAsync(SandboxHarness.Config(server), SandboxHarness.Request(["records"], day, day));

        Assert.NotEmpty(result.Rows("records"));
        foreach (var row in result.Rows("records"))
        {
            var company = server.Data.Company(Lenient.Long(row["company_id"])!.Value);
            var date = Lenient.Timestamp(row["date"])!.Value;
            Assert.Equal(company.UtcOffset, date.Offset);
            Assert.Equal(Lenient.Timestamp(row["datetime"]), date);
        }
    }

    [Fact]
    public async Task ReadAsync_RecordServices_CarryTheRecordsDeletedFlagAndDatetime()
    {
        await using var server = await SandboxHarness.StartAsync();
        var from = server.Data.Today.AddDays(-10);
        var to = server.Data.Today;
        var deletedIds = server.Data.AccessibleCompanies
            .SelectMany(c => server.Data.RecordsBetween(c.Id, from, to, includeDeleted: true))
            .Where(r => r.Deleted).Select(r => r.Id).ToHashSet();
        Assert.NotEmpty(deletedIds);

        var result = await SandboxHarness.ReadAsync(SandboxHarness.Config(server), SandboxHarness.Request(["record_services"], from, to));

        var lines = result.Rows("record_services");
        Assert.All(lines, l => Assert.Equal(deletedIds.Contains(ReadResult.Id(l, "record_id")), Lenient.Bool(l["deleted"])));
        Assert.Contains(lines, l => Lenient.Bool(l["deleted"]) == true);
        Assert.All(lines, l => Assert.NotNull(Lenient.Timestamp(l["datetime"])));
        Assert.Empty(result.Rows("records"));
    }

    [Fact]
    public async Task ReadAsync_UserToken_WorksWithoutLogin()
    {
        await using var server = await SandboxHarness.StartAsync();
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("login");
            c.Remove("password");
            c["user_token"] = Sandbox.SandboxCredentials.UserToken;
        });

        var result = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["staff"]));

        Assert.Equal(server.Data.AccessibleCompanies.Sum(c => server.Data.Staff(c.Id).Count), result.Rows("staff").Count);
        Assert.Equal(0, server.Stats.RequestsFor("/auth"));
    }

    [Fact]
    public async Task ReadAsync_NoCompanyConfigured_LoadsEveryCompanyOfTheUser()
    {
        await using var server = await SandboxHarness.StartAsync();
        var config = SandboxHarness.Config(server, c => c.Remove("company_ids"));

        var result = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["companies"]));

        Assert.Equal(server.Data.AccessibleCompanies.Select(c => c.Id).Order(), result.Rows("companies").Select(r => ReadResult.Id(r)).Order());
        Assert.All(result.Rows("companies"), r => Assert.Equal(ReadResult.Id(r), ReadResult.Id(r, "company_id")));
    }
}
