using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Integration;

public sealed class RequestsTests
{
    [Fact]
    public async Task ReadAsync_OnlyServicesSelected_RequestsNothingElse()
    {
        await using var server = await SandboxHarness.StartAsync();
        var observer = new CountingObserver();

        var result = await SandboxHarness.ReadAsync(SandboxHarness.Config(server), SandboxHarness.Request(["services"]), observer: observer);

        var companies = server.Data.AccessibleCompanies.Count;
        Assert.Equal(companies, server.Stats.RequestsFor("/company/{company_id}/services"));
        foreach (var template in new[] { "/records/{company_id}", "/clients/{company_id}", "/company/{company_id}/staff", "/company/{company_id}/service_categories", "/transactions/{company_id}", "/storages/transactions/{company_id}", "/goods/{company_id}", "/storages/{company_id}" })
        {
            Assert.Equal(0, server.Stats.RequestsFor(template));
        }

        // Besides the services: one login and one lookup per company when the session opens.
        Assert.Equal(1 + companies + companies, server.Stats.TotalRequests);
        Assert.Equal(companies, observer.Requests("services"));
        Assert.Equal(result.Rows("services").Count, observer.PageRows("services"));
    }

    [Fact]
    public async Task ReadAsync_OnlyRecordServicesSelected_ReadsRecordsButYieldsNoRecordRows()
    {
        await using var server = await SandboxHarness.StartAsync();
        var day = server.Data.Today;

        var result = await SandboxHarness.ReadAsync(SandboxHarness.Config(server), SandboxHarness.Request(["record_services"], day, day));

        Assert.NotEmpty(result.Rows("record_services"));
        Assert.Empty(result.Rows("records"));
        Assert.True(server.Stats.RequestsFor("/records/{company_id}") >= server.Data.AccessibleCompanies.Count);
        Assert.Equal(0, server.Stats.RequestsFor("/clients/{company_id}"));
    }

    [Fact]
    public async Task ReadAsync_SmallPages_PagesUntilAShortPage()
    {
        await using var server = await SandboxHarness.StartAsync();
        var company = server.Data.AccessibleCompanies[0];
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("company_ids");
            c["company_id"] = company.Id;
            c["page_size"] = 7;
        });

        var result = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["clients"]));

        var clients = server.Data.Clients(company.Id).Count;
        Assert.Equal(clients, result.Rows("clients").Count);
        Assert.Equal((clients / 7) + 1, server.Stats.RequestsFor("/clients/{company_id}"));
    }
}
