using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public async Task SameSeed_TwoServers_ServeIdenticalBodies()
    {
        await using var first = await SandboxServer.StartAsync(SandboxFixture.Options());
        await using var second = await SandboxServer.StartAsync(SandboxFixture.Options());
        using var api1 = new ApiClient(first);
        using var api2 = new ApiClient(second);

        foreach (var path in new[]
        {
            "records/100001?count=300&include_finance_transactions=1&include_consumables=1",
            "records/100002?count=300&page=3&with_deleted=1",
            "transactions/100002?count=500",
            "storages/transactions/100001?count=500",
            "clients/100001?count=200",
            "company/100002/staff",
        })
        {
            Assert.Equal((await api1.GetAsync(path)).Text, (await api2.GetAsync(path)).Text);
        }
    }

    [Fact]
    public async Task SameSeed_Data_IsIdentical()
    {
        await using var first = await SandboxServer.StartAsync(SandboxFixture.Options());
        await using var second = await SandboxServer.StartAsync(SandboxFixture.Options());

        foreach (var company in first.Data.Companies)
        {
            Assert.Equal(Fingerprint(first.Data, company.Id), Fingerprint(second.Data, company.Id));
        }
    }

    [Fact]
    public async Task DifferentSeed_Data_Differs()
    {
        var options = SandboxFixture.Options();
        options.Seed = 7;
        await using var first = await SandboxServer.StartAsync(SandboxFixture.Options());
        await using var second = await SandboxServer.StartAsync(options);

        Assert.NotEqual(Fingerprint(first.Data, 100001), Fingerprint(second.Data, 100001));
    }

    [Fact]
    public async Task TodayFromTimeProvider_UsesUtcDate()
    {
        var options = SandboxFixture.Options();
        options.Today = null;
        options.TimeProvider = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2025, 6, 30, 23, 30, 0, TimeSpan.FromHours(-3)));
        await using var server = await SandboxServer.StartAsync(options);

        Assert.Equal(new DateOnly(2025, 7, 1), server.Data.Today);
        Assert.Equal(new DateOnly(2025, 7, 8), server.Data.Records(100001).Max(r => r.Day));
    }

    private static string Fingerprint(SandboxData data, long companyId) => string.Join('|',
        data.Records(companyId).Select(r => $"{r.Id}:{r.Datetime:O}:{r.StaffId}:{r.ClientId}:{r.Attendance}:{r.Deleted}:{r.LastChangeDate:O}:{string.Join(',', r.Services.Select(s => $"{s.ServiceId}/{s.Cost}"))}")
            .Concat(data.FinanceTransactions(companyId).Select(t => $"{t.Id}:{t.Amount}:{t.Date:O}"))
            .Concat(data.Clients(companyId).Select(c => $"{c.Id}:{c.DisplayName}:{c.Phone}")));
}
