using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Integration;

public sealed class Block2StreamsTests
{
    [Fact]
    public async Task ReadAsync_EveryBlock2StreamForAPeriod_LoadsExactlyTheSandboxRows()
    {
        await using var server = await SandboxHarness.StartAsync();
        var from = server.Data.Today.AddDays(-4);
        var to = server.Data.Today;
        string[] streams = ["record_goods", "visits", "finance_transactions", "goods_transactions", "storages", "goods", "documents"];

        var result = await SandboxHarness.ReadAsync(
            SandboxHarness.Config(server, c => c["documents"] = new JsonObject { ["details"] = true }), SandboxHarness.Request(streams, from, to));

        foreach (var company in server.Data.AccessibleCompanies)
        {
            var records = server.Data.RecordsBetween(company.Id, from, to, includeDeleted: true);
            var goodsLines = records.SelectMany(r => r.Goods).ToList();
            Assert.NotEmpty(goodsLines);
            Assert.Equal(goodsLines.Select(g => g.GoodsTransactionId).Order(), result.Rows("record_goods", company.Id).Select(r => ReadResult.Id(r)).Order());
            Assert.Equal(goodsLines.Sum(g => g.Cost), ReadResult.Sum(result.Rows("record_goods", company.Id), "cost"));

            Assert.Equal(records.Select(r => r.VisitId).Distinct().Order(), result.Rows("visits", company.Id).Select(r => ReadResult.Id(r, "visit_id")).Order());

            var finance = server.Data.FinanceTransactions(company.Id).Where(t => InPeriod(t.Date, from, to)).ToList();
            Assert.NotEmpty(finance);
            var financeRows = result.Rows("finance_transactions", company.Id).ToList();
            Assert.Equal(finance.Select(t => t.Id).Order(), financeRows.Select(r => ReadResult.Id(r)).Order());
            Assert.Equal(finance.Sum(t => t.Amount), ReadResult.Sum(financeRows, "amount"));
            Assert.Equal(finance.Count(t => t.Deleted), financeRows.Count(r => Lenient.Bool(r["deleted"]) == true));

            var goods = server.Data.GoodsTransactions(company.Id).Where(t => InPeriod(t.CreateDate, from, to)).ToList();
            Assert.Equal(goods.Select(t => t.Id).Order(), result.Rows("goods_transactions", company.Id).Select(r => ReadResult.Id(r)).Order());
            Assert.Equal(goods.Sum(t => t.Amount), ReadResult.Sum(result.Rows("goods_transactions", company.Id), "amount"));

            Assert.Equal(server.Data.Storages(company.Id).Count, result.Rows("storages", company.Id).Count());
            Assert.Equal(server.Data.Goods(company.Id).Select(g => g.Id).Order(), result.Rows("goods", company.Id).Select(r => ReadResult.Id(r, "good_id")).Order());

            var known = server.Data.Documents(company.Id).Select(d => d.Id).ToHashSet();
            var referenced = records.SelectMany(r => r.DocumentIds)
                .Concat(finance.Select(t => t.DocumentId))
                .Concat(goods.Select(t => t.DocumentId))
                .Where(id => id != 0 && known.Contains(id)).Distinct().Order().ToList();
            Assert.NotEmpty(referenced);
            var documents = result.Rows("documents", company.Id).ToList();
            Assert.Equal(referenced, documents.Select(r => ReadResult.Id(r)).Order());
            Assert.All(documents, d => Assert.Equal(company.UtcOffset, Lenient.Timestamp(d["create_date"])!.Value.Offset));
        }

        Assert.Empty(result.Rows("records"));
    }

    [Fact]
    public async Task ReadAsync_UnstableTieOrder_TransactionWindowsStillGiveEveryRowOnce()
    {
        await using var server = await SandboxHarness.StartAsync(o => o.UnstableTieOrder = true);
        var company = server.Data.AccessibleCompanies[0];
        var from = server.Data.Today.AddDays(-8);
        var to = server.Data.Today;
        var live = server.Data.FinanceTransactions(company.Id).Where(t => !t.Deleted && InPeriod(t.Date, from, to)).ToList();
        var busiestDay = live.GroupBy(t => DateOnly.FromDateTime(t.Date.DateTime)).Max(g => g.Count());
        var pageSize = busiestDay + 1;
        Assert.True(live.Count > 2 * pageSize, "the period must need several pages for the test to mean anything");
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("company_ids");
            c["company_id"] = company.Id;
            c["page_size"] = pageSize;
        });

        var result = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["finance_transactions"], from, to));

        var expected = server.Data.FinanceTransactions(company.Id).Where(t => InPeriod(t.Date, from, to)).Select(t => t.Id).Order();
        var rows = result.Rows("finance_transactions").Select(r => ReadResult.Id(r)).ToList();
        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.Equal(expected, rows.Order());
    }

    [Fact]
    public async Task ReadAsync_ServiceCategoryFilter_KeepsMatchingRecordsAndTheirChildren()
    {
        await using var server = await SandboxHarness.StartAsync();
        var company = server.Data.AccessibleCompanies[0];
        var from = server.Data.Today.AddDays(-6);
        var to = server.Data.Today;
        var category = server.Data.Services(company.Id).GroupBy(s => s.CategoryId).First().Key;
        var inCategory = server.Data.Services(company.Id).Where(s => s.CategoryId == category).Select(s => s.Id).ToHashSet();
        var expected = server.Data.RecordsBetween(company.Id, from, to, includeDeleted: true)
            .Where(r => r.Services.Any(s => inCategory.Contains(s.ServiceId))).ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < server.Data.RecordsBetween(company.Id, from, to, includeDeleted: true).Count);
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("company_ids");
            c["company_id"] = company.Id;
        });
        var filtered = new MyBi.Abstractions.Streams.ReadRequest
        {
            Streams = ["records", "record_services", "visits"],
            From = from,
            To = to,
            Filters = new Dictionary<string, System.Text.Json.Nodes.JsonObject>
            {
                ["records"] = new() { ["service_category_id"] = new System.Text.Json.Nodes.JsonArray(category) },
            },
        };

        var result = await SandboxHarness.ReadAsync(config, filtered);

        Assert.Equal(expected.Select(r => r.Id).Order(), result.Rows("records").Select(r => ReadResult.Id(r)).Order());
        Assert.Equal(expected.Sum(r => r.ServicesCost), ReadResult.Sum(result.Rows("record_services"), "cost"));
        Assert.Equal(expected.Select(r => r.VisitId).Distinct().Order(), result.Rows("visits").Select(r => ReadResult.Id(r, "visit_id")).Order());
    }

    [Fact]
    public async Task ReadAsync_StaffFilter_KeepsOnlyTheirRecords()
    {
        await using var server = await SandboxHarness.StartAsync();
        var company = server.Data.AccessibleCompanies[0];
        var staff = server.Data.Staff(company.Id).Take(2).Select(s => s.Id).ToArray();
        var day = server.Data.Today.AddDays(-1);
        var expected = server.Data.RecordsBetween(company.Id, day, day, includeDeleted: true).Where(r => staff.Contains(r.StaffId)).Select(r => r.Id).Order().ToList();
        Assert.NotEmpty(expected);
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("company_ids");
            c["company_id"] = company.Id;
        });
        var request = new MyBi.Abstractions.Streams.ReadRequest
        {
            Streams = ["records"],
            From = day,
            To = day,
            Filters = new Dictionary<string, System.Text.Json.Nodes.JsonObject>
            {
                ["records"] = new() { ["staff_id"] = new System.Text.Json.Nodes.JsonArray(staff[0], staff[1]) },
            },
        };

        var result = await SandboxHarness.ReadAsync(config, request);

        Assert.Equal(expected, result.Rows("records").Select(r => ReadResult.Id(r)).Order());
    }

    private static bool InPeriod(DateTimeOffset local, DateOnly from, DateOnly to) =>
        DateOnly.FromDateTime(local.DateTime) is var day && day >= from && day <= to;
}
