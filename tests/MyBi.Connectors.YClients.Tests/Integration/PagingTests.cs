using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Integration;

public sealed class PagingTests
{
    private static readonly DateOnly s_anchor = new(2026, 3, 10);

    private static bool InPeriod(DateTimeOffset value, DateOnly from, DateOnly to)
    {
        var day = DateOnly.FromDateTime(value.DateTime);
        return day >= from && day <= to;
    }

    [Fact]
    public async Task ReadAsync_ServerCapsEveryPageBelowTheAskedCount_LoadsEveryRow()
    {
        // The connector asks for 200 rows a page; the server gives 5, so every page but the last is "short".
        await using var server = await SandboxHarness.StartAsync(o =>
        {
            o.Today = s_anchor;
            o.MaxPageSize = 5;
        });
        var company = server.Data.AccessibleCompanies[0];
        var from = s_anchor.AddDays(-8);
        var to = s_anchor;
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("company_ids");
            c["company_id"] = company.Id;
        });

        var result = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["records", "clients", "finance_transactions", "goods"], from, to));

        var records = server.Data.RecordsBetween(company.Id, from, to, includeDeleted: true).Select(r => r.Id).Order().ToList();
        var finance = server.Data.FinanceTransactions(company.Id).Where(t => InPeriod(t.Date, from, to)).Select(t => t.Id).Order().ToList();
        var clients = server.Data.Clients(company.Id).Select(c => c.Id).Order().ToList();
        var goods = server.Data.Goods(company.Id).Select(g => g.Id).Order().ToList();
        Assert.All(new[] { records.Count, finance.Count, clients.Count, goods.Count }, n => Assert.True(n > 10, "each list must need several pages"));
        Assert.Equal(records, result.Rows("records").Select(r => ReadResult.Id(r)).Order());
        Assert.Equal(finance, result.Rows("finance_transactions").Select(r => ReadResult.Id(r)).Order());
        Assert.Equal(clients, result.Rows("clients").Select(r => ReadResult.Id(r)).Order());
        Assert.Equal(goods, result.Rows("goods").Select(r => ReadResult.Id(r, "good_id")).Order());
    }

    [Fact]
    public async Task ReadAsync_Incremental_SendsChangedAfterInTheDocumentedForm()
    {
        await using var server = await SandboxHarness.StartAsync(o => o.Today = s_anchor);
        var clock = new FakeTimeProvider(new DateTimeOffset(s_anchor.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        var config = SandboxHarness.Config(server);
        var streams = new[] { "records", "clients", "finance_transactions" };
        var first = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(streams), clock);
        server.Stats.Reset();

        await SandboxHarness.ReadAsync(config, SandboxHarness.Request(streams, state: first.LastState), clock);

        var values = server.Stats.ChangedAfterValues;
        Assert.NotEmpty(values);

        // 2024-03-01T00:00:00+0300, as the API documents it; never "+03:00".
        Assert.All(values, v => Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$"), v));
    }

    [Fact]
    public async Task ReadAsync_HugeComment_IsCutToMaxTextLengthWithAWarning()
    {
        await using var server = await SandboxHarness.StartAsync(o => o.Today = s_anchor);
        var company = server.Data.AccessibleCompanies[0];
        var client = server.Data.Clients(company.Id)[0];
        server.Data.ChangeClientComment(company.Id, client.Id, new string('w', 300_000));
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("company_ids");
            c["company_id"] = company.Id;
            c["max_text_length"] = 1000;
        });

        var result = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["clients"]));

        var row = result.Rows("clients").Single(r => ReadResult.Id(r) == client.Id);
        Assert.Equal(new string('w', 1000), row["comment"]!.GetValue<string>());
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("clients", warning.Stream);
        Assert.Contains("max_text_length (1000 characters)", warning.Message, StringComparison.Ordinal);
        Assert.Equal(server.Data.Clients(company.Id).Count, result.Rows("clients").Count);
    }
}
