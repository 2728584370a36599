using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Integration;

public sealed class ResilienceTests
{
    [Fact]
    public async Task ReadAsync_FaultsAndRateLimitOn_SameRowsAndNoAvoidable429()
    {
        await using var server = await SandboxHarness.StartAsync(o =>
        {
            o.FaultRate = 0.1;
            o.RateLimitEnabled = true;
            o.ClientsPerCompany = 30;
        });
        var from = server.Data.Today.AddDays(-3);
        var to = server.Data.Today;
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("requests_per_second");
            c.Remove("requests_per_minute");
            c["max_retries"] = 6;
            c["page_size"] = 25;
        });

        var result = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["records", "record_services", "clients", "staff"], from, to));

        Assert.True(server.Stats.FaultsSent > 0, "the sandbox injected no fault; the test proves nothing");
        Assert.Equal(0, server.Stats.RateLimitedRequests);
        foreach (var company in server.Data.AccessibleCompanies)
        {
            var records = server.Data.RecordsBetween(company.Id, from, to, includeDeleted: true);
            Assert.Equal(records.Select(r => r.Id).Order(), result.Rows("records", company.Id).Select(r => ReadResult.Id(r)).Order());
            Assert.Equal(records.Sum(r => r.ServicesCost), ReadResult.Sum(result.Rows("record_services", company.Id), "cost"));
            Assert.Equal(server.Data.Clients(company.Id).Count, result.Rows("clients", company.Id).Count());
            Assert.Equal(server.Data.Staff(company.Id).Count, result.Rows("staff", company.Id).Count());
        }
    }

    [Fact]
    public async Task ReadAsync_TwoSessionsOnOneApi_ShareTheRequestBudget()
    {
        await using var server = await SandboxHarness.StartAsync(o => o.RateLimitEnabled = true);
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("requests_per_second");
            c.Remove("requests_per_minute");
        });

        var reads = Enumerable.Range(0, 2).Select(_ => SandboxHarness.ReadAsync((System.Text.Json.Nodes.JsonObject)config.DeepClone(), SandboxHarness.Request(["staff", "services", "service_categories"])));
        var results = await Task.WhenAll(reads);

        Assert.Equal(0, server.Stats.RateLimitedRequests);
        Assert.All(results, r => Assert.Equal(server.Data.AccessibleCompanies.Sum(c => server.Data.Services(c.Id).Count), r.Rows("services").Count));
    }
}
