using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

public sealed class DataInvariantTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly ApiClient _api = new(fixture.Server);

    private SandboxData Data => fixture.Server.Data;

    public void Dispose() => _api.Dispose();

    [Fact]
    public void ServiceLines_MoneyArithmetic_Holds()
    {
        var lines = Data.Companies.SelectMany(c => Data.Records(c.Id)).SelectMany(r => r.Services).ToList();

        Assert.Contains(lines, l => l.DiscountPercent > 0);
        Assert.Contains(lines, l => l.DiscountPercent == 33.71m);
        Assert.All(lines, l =>
        {
            Assert.Equal(l.CostPerUnit * l.Amount, l.FirstCost);
            Assert.Equal(decimal.Round(l.FirstCost * (1 - l.DiscountPercent / 100), 2, MidpointRounding.AwayFromZero), l.Cost);
        });
    }

    [Fact]
    public void EveryWeekOfHistory_EachCompany_HasAnExpenseAndADeletedTransaction()
    {
        // Tests pick a week relative to their anchor date; what they rely on must hold for every such week.
        var first = Data.Today.AddDays(-SandboxFixture.Options().DaysBack);
        foreach (var company in Data.Companies)
        {
            for (var from = first; from.AddDays(6) < Data.Today; from = from.AddDays(1))
            {
                var to = from.AddDays(6);
                Assert.True(Data.FinanceTransactionsBetween(company.Id, from, to).Any(t => t.Amount < 0), $"company {company.Id}: no expense in {from:yyyy-MM-dd}..{to:yyyy-MM-dd}");
                Assert.True(Data.FinanceTransactionsBetween(company.Id, from, to, deleted: true).Count > 0, $"company {company.Id}: no deleted transaction in {from:yyyy-MM-dd}..{to:yyyy-MM-dd}");
            }
        }
    }

    [Fact]
    public void PaidRecords_FinanceTransactions_MatchServicesAndGoods()
    {
        foreach (var company in Data.Companies)
        {
            var byRecord = Data.FinanceTransactions(company.Id).Where(t => t.RecordId != 0).ToLookup(t => t.RecordId);
            foreach (var record in Data.Records(company.Id))
            {
                var paid = byRecord[record.Id].ToList();
                if (record.PaidFull)
                {
                    Assert.Equal(record.ServicesCost + record.GoodsCost, paid.Sum(t => t.Amount));
                    Assert.All(paid.Where(t => t.SoldItemType == "service"), t => Assert.Equal(5, t.ExpenseId));
                }
                else
                {
                    Assert.Empty(paid);
                }
            }
        }
    }

    [Fact]
    public void GoodsSales_AreNegativeGoodsTransactionsOfTheRecord()
    {
        var company = fixture.CompanyId;
        var transactions = Data.GoodsTransactions(company).ToDictionary(t => t.Id);
        var goodsLines = Data.Records(company).SelectMany(r => r.Goods.Select(g => (r, g))).ToList();

        Assert.NotEmpty(goodsLines);
        Assert.All(goodsLines, pair =>
        {
            var t = transactions[pair.g.GoodsTransactionId];
            Assert.Equal(SandboxGoodsTransaction.SaleType, t.TypeId);
            Assert.True(t.Amount < 0);
            Assert.Equal(pair.r.Id, t.RecordId);
            Assert.Equal(pair.g.Cost, t.Cost);
            Assert.Contains(t.DocumentId, pair.r.DocumentIds);
        });
    }

    [Fact]
    public void Dataset_HasTheQuirksConnectorsMustHandle()
    {
        var records = Data.Records(fixture.CompanyId);

        Assert.Contains(records, r => r.Deleted);
        Assert.Contains(records, r => r.ClientId is null);
        Assert.Contains(records, r => r.Attendance == -1);
        Assert.Contains(records, r => r.Day >= Data.Today && r.Attendance is 0 or 2);
        Assert.Contains(Data.Visits(fixture.CompanyId), v => v.RecordIds.Count > 1);
        Assert.True(Data.FinanceTransactions(fixture.CompanyId).GroupBy(t => t.Date).Max(g => g.Count()) >= 20);
        Assert.True(records.GroupBy(r => r.Datetime).Max(g => g.Count()) >= 2);
        Assert.All(records, r => Assert.InRange(r.Id, 1_600_000_000L, 1_900_000_000L));
        Assert.Contains(Data.Documents(fixture.CompanyId), d => d.Id > int.MaxValue);
        Assert.Contains(Data.GoodsTransactions(fixture.CompanyId), t => t.Id > int.MaxValue);
        Assert.NotEqual(Data.Company(fixture.CompanyId).UtcOffset, Data.Company(fixture.SecondCompanyId).UtcOffset);
        Assert.Equal(Data.Companies.Max(c => c.Id), Data.RestrictedCompanyId);
        Assert.Contains("Смирнова", Data.Companies.SelectMany(c => Data.Clients(c.Id)).Select(c => c.Surname));
    }

    [Fact]
    public void LastChangeDates_NeverPrecedeCreationAndStayBeforeToday()
    {
        var anchor = new DateTimeOffset(Data.Today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        Assert.All(Data.Companies.SelectMany(c => Data.Records(c.Id)), r =>
        {
            Assert.True(r.LastChangeDate >= r.CreateDate);
            Assert.True(r.LastChangeDate < anchor);
            Assert.Equal(Data.Company(r.CompanyId).UtcOffset, r.Datetime.Offset);
        });
    }

    [Fact]
    public async Task HttpSums_ForAPeriod_EqualSumsFromData()
    {
        var from = SandboxFixture.Day(-43);
        var to = SandboxFixture.Day(-15);
        var expectedServices = Data.RecordsBetween(fixture.SecondCompanyId, from, to).Sum(r => r.ServicesCost);
        var expectedPayments = Data.FinanceTransactionsBetween(fixture.SecondCompanyId, from, to).Sum(t => t.Amount);

        // Pages of 100, the sandbox's cap; the list ends with an empty page.
        var services = 0m;
        for (var page = 1; ; page++)
        {
            var response = await _api.GetAsync($"records/{fixture.SecondCompanyId}?start_date={SandboxFixture.Iso(-43)}&end_date={SandboxFixture.Iso(-15)}&count=100&page={page}");
            if (response.Data.GetArrayLength() == 0)
            {
                break;
            }

            services += response.Data.EnumerateArray().SelectMany(r => r.GetProperty("services").EnumerateArray()).Sum(s => s.GetProperty("cost").GetDecimal());
        }

        var payments = 0m;
        for (var page = 1; ; page++)
        {
            var response = await _api.GetAsync($"transactions/{fixture.SecondCompanyId}?start_date={SandboxFixture.Iso(-43)}&end_date={SandboxFixture.Iso(-15)}&count=100&page={page}");
            if (response.Data.GetArrayLength() == 0)
            {
                break;
            }

            payments += response.Data.EnumerateArray().Sum(t => decimal.Parse(t.GetProperty("amount").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(expectedServices, services);
        Assert.Equal(expectedPayments, payments);
    }
}
