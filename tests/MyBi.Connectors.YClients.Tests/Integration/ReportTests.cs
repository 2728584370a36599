using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Reports;
using MyBi.Abstractions.Connectors;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Connectors.YClients.Tests.Support;
using MyBi.Testing;

namespace MyBi.Connectors.YClients.Tests.Integration;

public sealed class ReportTests
{
    [Fact]
    public async Task ReadReportAsync_GoodsTransactions_ExactlyThePeriodsTransactionsWithNestedObjects()
    {
        await using var server = await SandboxHarness.StartAsync();
        var (from, to) = Period(server);

        var result = await SandboxHarness.ReportAsync(SandboxHarness.Config(server), "goods_transactions", from, to);

        foreach (var company in server.Data.AccessibleCompanies)
        {
            var expected = server.Data.GoodsTransactions(company.Id).Where(t => InPeriod(t.CreateDate, from, to)).ToList();
            Assert.Contains(expected, t => t.TypeId == SandboxGoodsTransaction.ConsumableType);
            Assert.Contains(expected, t => t.TypeId == SandboxGoodsTransaction.SaleType);
            var rows = result.Rows("goods_transactions", company.Id).ToList();
            Assert.Equal(expected.Select(t => t.Id).Order(), rows.Select(r => ReadResult.Id(r)).Order());
            Assert.Equal(expected.Sum(t => t.Amount), ReadResult.Sum(rows, "amount"));
            Assert.Equal(expected.Sum(t => t.Cost), ReadResult.Sum(rows, "cost"));
            var first = expected[0];
            var row = rows.Single(r => ReadResult.Id(r) == first.Id);
            Assert.Equal(first.GoodId, Lenient.Id(row["good"]?["id"]));
            Assert.Equal(server.Data.Goods(company.Id).Single(g => g.Id == first.GoodId).Title, row["good"]?["title"]?.GetValue<string>());
            Assert.Equal(first.CreateDate, Lenient.Timestamp(row["create_date"]));
        }

        Assert.Equal(result.Messages.OfType<MyBi.Abstractions.Streams.SourceRecord>().Count(), result.Rows("goods_transactions").Count);
        Assert.Empty(result.Checkpoints);
    }

    [Fact]
    public async Task ReadReportAsync_FinanceTransactions_LiveTransactionsOfThePeriodAddUp()
    {
        await using var server = await SandboxHarness.StartAsync();
        var (from, to) = Period(server);

        var result = await SandboxHarness.ReportAsync(SandboxHarness.Config(server), "finance_transactions", from, to);

        foreach (var company in server.Data.AccessibleCompanies)
        {
            var live = server.Data.FinanceTransactionsBetween(company.Id, from, to);
            Assert.NotEmpty(live);
            Assert.Contains(live, t => t.Amount < 0);
            var rows = result.Rows("finance_transactions", company.Id).ToList();
            Assert.Equal(live.Select(t => t.Id).Order(), rows.Select(r => ReadResult.Id(r)).Order());
            Assert.Equal(live.Sum(t => t.Amount), ReadResult.Sum(rows, "amount"));
            var sample = live[^1];
            var row = rows.Single(r => ReadResult.Id(r) == sample.Id);
            Assert.Equal(server.Data.Accounts(company.Id).Single(a => a.Id == sample.AccountId).Title, row["account"]?["title"]?.GetValue<string>());
            Assert.Equal(sample.Date, Lenient.Timestamp(row["date"]));
        }

        var deleted = server.Data.AccessibleCompanies.SelectMany(c => server.Data.FinanceTransactionsBetween(c.Id, from, to, deleted: true)).Select(t => t.Id).ToHashSet();
        Assert.NotEmpty(deleted);
        Assert.DoesNotContain(result.Rows("finance_transactions"), r => deleted.Contains(ReadResult.Id(r)));
    }

    [Fact]
    public async Task ReadReportAsync_RecordConsumables_WriteOffsOfThePeriodsLiveRecords()
    {
        await using var server = await SandboxHarness.StartAsync(o => o.MaxPageSize = 100);
        var (from, to) = Period(server);
        var observer = new CountingObserver();

        var result = await SandboxHarness.ReportAsync(SandboxHarness.Config(server), "record_consumables", from, to, observer);

        var recordPages = 0;
        foreach (var company in server.Data.AccessibleCompanies)
        {
            var records = server.Data.RecordsBetween(company.Id, from, to).Select(r => r.Id).ToHashSet();
            // The sandbox caps a page at 100 rows; the last page is the one that reaches meta.total_count.
            recordPages += Math.Max(1, (records.Count + 99) / 100);
            var expected = server.Data.Consumables(company.Id).Where(t => records.Contains(t.RecordId)).ToList();
            Assert.NotEmpty(expected);
            var rows = result.Rows("record_consumables", company.Id).ToList();
            Assert.Equal(expected.Select(t => t.Id).Order(), rows.Select(r => ReadResult.Id(r)).Order());
            Assert.Equal(expected.Sum(t => t.Cost), ReadResult.Sum(rows, "cost"));
            Assert.Equal(expected.Sum(t => t.Amount), ReadResult.Sum(rows, "amount"));
            Assert.All(rows, r => Assert.Equal(company.UtcOffset, Lenient.Timestamp(r["create_date"])!.Value.Offset));
            var sample = expected[0];
            Assert.Equal(sample.RecordId, ReadResult.Id(rows.Single(r => ReadResult.Id(r) == sample.Id), "record_id"));
        }

        // One request per page of records, not one per record.
        Assert.Equal(recordPages, observer.Requests("record_consumables"));
    }

    [Fact]
    public async Task ReadReportAsync_Documents_TheDocumentsOfThePeriodsRecordsAndTransactions()
    {
        await using var server = await SandboxHarness.StartAsync();
        var (from, to) = Period(server);

        var result = await SandboxHarness.ReportAsync(SandboxHarness.Config(server), "documents", from, to);

        foreach (var company in server.Data.AccessibleCompanies)
        {
            var documents = server.Data.Documents(company.Id).ToDictionary(d => d.Id);
            var referenced = server.Data.RecordsBetween(company.Id, from, to, includeDeleted: true).SelectMany(r => r.DocumentIds)
                .Concat(server.Data.FinanceTransactionsBetween(company.Id, from, to).Select(t => t.DocumentId))
                .Concat(server.Data.GoodsTransactions(company.Id).Where(t => InPeriod(t.CreateDate, from, to)).Select(t => t.DocumentId))
                .Where(id => documents.TryGetValue(id, out var d) && InPeriod(d.CreateDate, from, to))
                .Distinct().Order().ToList();
            Assert.Contains(referenced, id => documents[id].TypeId == SandboxDocument.VisitType);
            Assert.Contains(referenced, id => documents[id].TypeId == SandboxDocument.ConsumablesType);
            var rows = result.Rows("documents", company.Id).ToList();
            Assert.Equal(referenced, rows.Select(r => ReadResult.Id(r)).Order());
            Assert.All(rows, r => Assert.Equal(company.UtcOffset, Lenient.Timestamp(r["create_date"])!.Value.Offset));
            var consumables = rows.First(r => Lenient.Long(r["type_id"]) == SandboxDocument.ConsumablesType);
            Assert.Equal(SandboxDocument.TypeTitle(SandboxDocument.ConsumablesType), consumables["type"]?["title"]?.GetValue<string>());
        }
    }

    [Fact]
    public async Task ReadReportAsync_RecordCategoriesAndServices_TheWholeListsOfEveryCompany()
    {
        await using var server = await SandboxHarness.StartAsync();
        var day = server.Data.Today;
        var config = SandboxHarness.Config(server);

        var categories = await SandboxHarness.ReportAsync(config, "record_categories", day, day);
        var services = await SandboxHarness.ReportAsync(config, "services", day, day);

        foreach (var company in server.Data.AccessibleCompanies)
        {
            var labels = server.Data.RecordLabels(company.Id);
            Assert.NotEmpty(labels);
            Assert.Equal(labels.Select(l => l.Id).Order(), categories.Rows("record_categories", company.Id).Select(r => ReadResult.Id(r)).Order());
            Assert.Equal(labels.Select(l => l.Title).Order(), categories.Rows("record_categories", company.Id).Select(r => r["title"]!.GetValue<string>()).Order());

            var expected = server.Data.Services(company.Id);
            var rows = services.Rows("services", company.Id).ToList();
            Assert.Equal(expected.Select(s => s.Id).Order(), rows.Select(r => ReadResult.Id(r)).Order());
            Assert.Equal(expected.Sum(s => s.PriceMin), ReadResult.Sum(rows, "price_min"));
            Assert.Equal(expected.Sum(s => s.PriceMax), ReadResult.Sum(rows, "price_max"));
        }
    }

    [Fact]
    public async Task ReadReportAsync_OneOfTwoCompaniesForbidden_WarnsAndExportsTheOther()
    {
        await using var server = await SandboxHarness.StartAsync();
        var allowed = server.Data.AccessibleCompanies[0].Id;
        var forbidden = server.Data.RestrictedCompanyId;
        var config = SandboxHarness.Config(server, c => c["company_ids"] = new JsonArray(forbidden, allowed));
        var (from, to) = Period(server);

        var result = await SandboxHarness.ReportAsync(config, "finance_transactions", from, to);

        var expected = server.Data.FinanceTransactionsBetween(allowed, from, to);
        Assert.Equal(expected.Select(t => t.Id).Order(), result.Rows("finance_transactions").Select(r => ReadResult.Id(r)).Order());
        Assert.All(result.Rows("finance_transactions"), r => Assert.Equal(allowed, ReadResult.Id(r, "company_id")));
        var warning = Assert.Single(result.Warnings);
        Assert.Contains($"company {forbidden} (403", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadReportAsync_OnlyCompanyForbidden_ConfigError()
    {
        await using var server = await SandboxHarness.StartAsync();
        var config = SandboxHarness.Config(server, c => c["company_ids"] = new JsonArray(server.Data.RestrictedCompanyId));

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.ReportAsync(config, "record_categories", server.Data.Today, server.Data.Today));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith("the YCLIENTS user has no right to read record categories", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadReportAsync_UnknownReportType_ConfigNamingTheTypes()
    {
        await using var server = await SandboxHarness.StartAsync();

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.ReportAsync(SandboxHarness.Config(server), "appointments", server.Data.Today, server.Data.Today));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("'appointments'", error.Message, StringComparison.Ordinal);
        Assert.Contains("record_consumables", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadReportAsync_PeriodEndingBeforeItStarts_ConfigError()
    {
        await using var server = await SandboxHarness.StartAsync();
        await using var session = await SandboxHarness.Connector().ConnectAsync(new SourceContext { Config = SandboxHarness.Config(server), TimeProvider = TestClock.Running });
        var request = new ReportRequest { ReportType = "documents", From = server.Data.Today, To = server.Data.Today.AddDays(-1) };

        var error = await Assert.ThrowsAsync<MyBiException>(async () =>
        {
            await foreach (var _ in session.ReadReportAsync(request))
            {
            }
        });

        Assert.Equal(FailureKind.Config, error.Kind);
    }

    private static (DateOnly From, DateOnly To) Period(SandboxServer server) => (server.Data.Today.AddDays(-8), server.Data.Today.AddDays(-1));

    private static bool InPeriod(DateTimeOffset local, DateOnly from, DateOnly to) =>
        DateOnly.FromDateTime(local.DateTime) is var day && day >= from && day <= to;
}
