using MyBi.Testing;
using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Integration;

/// <summary>What rows the connector makes of the sandbox's answers: ids that are no integer, companies without rights, embedded documents.</summary>
public sealed class RowFidelityTests
{
    private static readonly DateOnly s_today = TestClock.Today;

    private static readonly string[] s_badIds = ["\"12345678901234567890\"", "1e30", "1.5", "\"abc\"", "null", ""];

    [Fact]
    public async Task ReadAsync_RecordIdsThatAreNoInteger_ArePassedOnAsTheyCame_WithoutTheirLines()
    {
        await using var server = await SandboxHarness.StartAsync(o =>
        {
            o.Today = s_today;
            o.Companies = 1;
            foreach (var id in s_badIds)
            {
                o.InjectedRecordIds.Add(id);
            }
        });
        var company = server.Data.AccessibleCompanies[0].Id;
        var day = s_today.AddDays(-1);

        var result = await SandboxHarness.ReadAsync(SandboxHarness.Config(server), SandboxHarness.Request(["records", "record_services"], day, day));

        var expected = server.Data.RecordsBetween(company, day, day, includeDeleted: true);
        var rows = result.Rows("records");
        Assert.Equal(expected.Count + s_badIds.Length, rows.Count);
        Assert.Equal(expected.Select(r => r.Id).Order(), rows.Where(r => Lenient.Long(r["id"]) is not null).Select(r => ReadResult.Id(r)).Order());
        var raw = rows.Where(r => Lenient.Long(r["id"]) is null).Select(r => r.TryGetPropertyValue("id", out var id) ? id?.ToJsonString() ?? "null" : "").ToList();
        Assert.Equal(s_badIds.Order(StringComparer.Ordinal), raw.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Sum(r => r.Services.Count), result.Rows("record_services").Count);
        Assert.All(result.Rows("record_services"), s => Assert.NotNull(Lenient.Long(s["record_id"])));
    }

    [Fact]
    public async Task ReadAsync_ForbiddenCompany_IsListedAsNotAccessible()
    {
        await using var server = await SandboxHarness.StartAsync(o => o.Today = s_today);
        var allowed = server.Data.AccessibleCompanies[0].Id;
        var forbidden = server.Data.RestrictedCompanyId;
        var config = SandboxHarness.Config(server, c => c["company_ids"] = new JsonArray(allowed, forbidden));

        var withData = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["companies", "staff"], s_today, s_today));
        var alone = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["companies"]));

        foreach (var result in new[] { withData, alone })
        {
            var companies = result.Rows("companies").ToDictionary(r => ReadResult.Id(r));
            Assert.Equal([allowed, forbidden], companies.Keys.Order());
            Assert.True(Lenient.Bool(companies[allowed]["accessible"]));
            Assert.False(Lenient.Bool(companies[forbidden]["accessible"]));
        }
    }

    [Fact]
    public async Task ReadAsync_DocumentsOfRecords_ComeFromTheRecordsWithoutRequestsOfTheirOwn()
    {
        await using var server = await SandboxHarness.StartAsync(o =>
        {
            o.Today = s_today;
            o.Companies = 1;
        });
        var company = server.Data.AccessibleCompanies[0];
        var from = s_today.AddDays(-3);

        var result = await SandboxHarness.ReadAsync(SandboxHarness.Config(server), SandboxHarness.Request(["records", "documents"], from, s_today));

        var records = server.Data.RecordsBetween(company.Id, from, s_today, includeDeleted: true);
        var referenced = records.SelectMany(r => r.DocumentIds).Distinct().Order().ToList();
        Assert.NotEmpty(referenced);
        var documents = result.Rows("documents").ToDictionary(r => ReadResult.Id(r));
        Assert.All(referenced, id => Assert.True(documents.ContainsKey(id), $"document {id}"));

        // Without documents.details nothing is fetched one by one, and transactions are not read for documents.
        Assert.Equal(referenced, documents.Keys.Order());
        Assert.Equal(0, server.Stats.RequestsFor("/storage_operations/documents/{company_id}/{document_id}"));
        Assert.Equal(0, server.Stats.RequestsFor("/transactions/{company_id}"));
        var byId = server.Data.Documents(company.Id).ToDictionary(d => d.Id);
        Assert.All(referenced, id =>
        {
            var expected = byId[id];
            var row = documents[id];
            Assert.Equal(expected.TypeId, Lenient.Long(row["type_id"]));
            Assert.Equal(SandboxDocument.TypeTitle(expected.TypeId), row["type"]!["title"]!.GetValue<string>());
            Assert.Equal(expected.CreateDate, Lenient.Timestamp(row["create_date"]));
        });
    }
}
