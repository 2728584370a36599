using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

/// <summary>The record list's nested documents and finance transactions, and the knob that injects unusable ids.</summary>
public sealed class RecordListTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly ApiClient _api = new(fixture.Server);

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Records_ListWithFinanceTransactions_CarriesEachRecordsDocumentsAndLivePayments()
    {
        var data = fixture.Server.Data;
        var day = SandboxFixture.Today.AddDays(-3);

        var response = await _api.GetAsync($"records/{fixture.CompanyId}?count=300&start_date={day:yyyy-MM-dd}&end_date={day:yyyy-MM-dd}&include_finance_transactions=1");

        var expected = data.RecordsBetween(fixture.CompanyId, day, day).ToDictionary(r => r.Id);
        Assert.Equal(expected.Count, response.Data.GetArrayLength());
        var live = data.FinanceTransactions(fixture.CompanyId).Where(t => !t.Deleted).ToLookup(t => t.RecordId);
        foreach (var item in response.Data.EnumerateArray())
        {
            var record = expected[item.GetProperty("id").GetInt64()];
            Assert.Equal(record.DocumentIds, item.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("id").GetInt64()));
            var payments = item.GetProperty("finance_transactions").EnumerateArray().ToList();
            Assert.Equal(live[record.Id].Select(t => t.Id).Order(), payments.Select(p => p.GetProperty("id").GetInt64()).Order());
            Assert.All(payments, p => Assert.Equal(record.Id, p.GetProperty("record_id").GetInt64()));
        }
    }

    [Fact]
    public async Task Records_InjectedIds_EndTheFirstPageWithCopiesCarryingThem()
    {
        var options = SandboxFixture.Options();
        foreach (var id in new[] { "\"abc\"", "1e30", "null", "" })
        {
            options.InjectedRecordIds.Add(id);
        }

        await using var server = await SandboxServer.StartAsync(options);
        using var api = new ApiClient(server);
        var company = server.Data.AccessibleCompanies[0].Id;
        var day = SandboxFixture.Today.AddDays(-3);
        var query = $"records/{company}?count=300&start_date={day:yyyy-MM-dd}&end_date={day:yyyy-MM-dd}";

        var first = await api.GetAsync(query);
        var second = await api.GetAsync(query + "&page=2");

        var items = first.Data.EnumerateArray().ToList();
        var real = server.Data.RecordsBetween(company, day, day).Count;
        Assert.Equal(real + 4, items.Count);
        Assert.Equal(real + 4, first.Meta.GetProperty("total_count").GetInt32());
        var tail = items.Skip(real).ToList();
        Assert.Equal("abc", tail[0].GetProperty("id").GetString());
        Assert.Equal("1e30", tail[1].GetProperty("id").GetRawText());
        Assert.Equal(JsonValueKind.Null, tail[2].GetProperty("id").ValueKind);
        Assert.False(tail[3].TryGetProperty("id", out _));
        Assert.All(tail, t => Assert.Equal(items[0].GetProperty("services").GetRawText(), t.GetProperty("services").GetRawText()));
        Assert.Equal(0, second.Data.GetArrayLength());
    }

    [Fact]
    public void Validate_InjectedIdThatIsNoJson_ThrowsNamingTheOption()
    {
        var options = new SandboxOptions();
        options.InjectedRecordIds.Add("{not json");
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(nameof(SandboxOptions.InjectedRecordIds), error.ParamName);
    }
}
