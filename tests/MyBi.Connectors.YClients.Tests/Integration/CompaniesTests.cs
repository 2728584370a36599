using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Integration;

public sealed class CompaniesTests
{
    [Fact]
    public async Task ReadAsync_OneOfTwoCompaniesForbidden_WarnsAndLoadsTheOther()
    {
        await using var server = await SandboxHarness.StartAsync();
        var allowed = server.Data.AccessibleCompanies[0].Id;
        var forbidden = server.Data.RestrictedCompanyId;
        var config = SandboxHarness.Config(server, c => c["company_ids"] = new JsonArray(allowed, forbidden));
        var day = server.Data.Today;

        var result = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["records", "staff"], day, day));

        Assert.Equal(server.Data.RecordsBetween(allowed, day, day, includeDeleted: true).Count, result.Rows("records").Count);
        Assert.All(result.Rows("records"), r => Assert.Equal(allowed, ReadResult.Id(r, "company_id")));
        Assert.Equal(server.Data.Staff(allowed).Count, result.Rows("staff").Count);
        Assert.Contains(result.Warnings, w => w.Stream == "records" && w.Message.Contains($"company {forbidden} (403", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Stream == "staff" && w.Message.Contains($"company {forbidden}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_OneOfTwoCompaniesMissing_WarnsAndLoadsTheOther()
    {
        await using var server = await SandboxHarness.StartAsync();
        var allowed = server.Data.AccessibleCompanies[1].Id;
        var config = SandboxHarness.Config(server, c => c["company_ids"] = new JsonArray(allowed, 888888));

        var result = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["companies", "services"]));

        Assert.Equal([allowed], result.Rows("companies").Select(r => ReadResult.Id(r)));
        Assert.Equal(server.Data.Services(allowed).Count, result.Rows("services").Count);
        Assert.Contains(result.Warnings, w => w.Message.StartsWith("company 888888 not found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_EveryCompanyForbidden_ThrowsConfig()
    {
        await using var server = await SandboxHarness.StartAsync();
        var config = SandboxHarness.Config(server, c =>
        {
            c["login"] = Sandbox.SandboxCredentials.LimitedLogin;
            c["company_ids"] = new JsonArray(server.Data.AccessibleCompanies.Select(x => (JsonNode)x.Id).ToArray());
        });

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.ReadAsync(config, SandboxHarness.Request(["finance_transactions"], server.Data.Today, server.Data.Today)));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith("the YCLIENTS user has no right to read finance transactions in company", error.Message, StringComparison.Ordinal);
    }
}
