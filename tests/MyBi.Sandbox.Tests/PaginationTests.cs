using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

public sealed class PaginationTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly ApiClient _api = new(fixture.Server);

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Records_AllPages_ReturnEveryRecordOnceAndEndWithShortPage()
    {
        var expected = fixture.Server.Data.RecordsBetween(fixture.CompanyId, SandboxFixture.Day(-43), SandboxFixture.Day(-15));
        var seen = new List<long>();
        var lastPageSize = 0;
        for (var page = 1; page < 100; page++)
        {
            var response = await _api.GetAsync($"records/{fixture.CompanyId}?start_date={SandboxFixture.Iso(-43)}&end_date={SandboxFixture.Iso(-15)}&count=50&page={page}");
            Assert.Equal(page, response.Meta.GetProperty("page").GetInt32());
            lastPageSize = response.Data.GetArrayLength();
            seen.AddRange(response.Data.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
            if (lastPageSize < 50)
            {
                break;
            }
        }

        Assert.NotEqual(0, expected.Count % 50);
        Assert.Equal(expected.Count % 50, lastPageSize);
        Assert.Equal(expected.Select(r => r.Id).Order(), seen.Order());
    }

    [Fact]
    public async Task Records_PageBeyondEnd_ReturnsEmptyDataWithTotal()
    {
        var response = await _api.GetAsync($"records/{fixture.CompanyId}?count=300&page=1000");

        Assert.Equal(0, response.Data.GetArrayLength());
        Assert.Equal(fixture.Server.Data.Records(fixture.CompanyId).Count(r => !r.Deleted), response.Meta.GetProperty("total_count").GetInt32());
    }

    [Theory]
    [InlineData("records/{0}?count=1000", true)]
    [InlineData("clients/{0}?count=1000", true)]
    [InlineData("transactions/{0}?start_date={1}&end_date={2}&count=1000", true)]
    [InlineData("storages/transactions/{0}?start_date={1}&end_date={2}&count=1000", false)]
    [InlineData("goods/{0}?count=1000", false)]
    public async Task EveryList_CountAboveMaximum_IsCappedSilentlyBelowTheConnectorsDefault(string path, bool hasMoreRows)
    {
        var response = await _api.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, fixture.CompanyId, SandboxFixture.Iso(-74), SandboxFixture.Iso(0)));

        Assert.True(response.Success);
        Assert.InRange(response.Data.GetArrayLength(), hasMoreRows ? 100 : 1, 100);
        Assert.True(new SandboxOptions().MaxPageSize < 200);
    }

    [Fact]
    public async Task Transactions_StableTieOrder_PagesCoverEveryTransactionOnce()
    {
        var expected = fixture.Server.Data.FinanceTransactionsBetween(fixture.CompanyId, SandboxFixture.Day(-14), SandboxFixture.Day(-1));
        var seen = new List<string>();
        for (var page = 1; ; page++)
        {
            var response = await _api.GetAsync($"transactions/{fixture.CompanyId}?start_date={SandboxFixture.Iso(-14)}&end_date={SandboxFixture.Iso(-1)}&count=20&page={page}");
            seen.AddRange(response.Data.EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            if (response.Data.GetArrayLength() < 20)
            {
                break;
            }
        }

        Assert.Equal(expected.Select(t => t.Id.ToString()).Order(), seen.Order());
    }

    [Fact]
    public async Task Transactions_UnstableTieOrder_SameRequestComesInDifferentOrders()
    {
        var options = SandboxFixture.Options();
        options.UnstableTieOrder = true;
        await using var server = await SandboxServer.StartAsync(options);
        using var api = new ApiClient(server);
        var companyId = server.Data.AccessibleCompanies[0].Id;
        var busyDay = server.Data.FinanceTransactions(companyId).GroupBy(t => t.Date).OrderByDescending(g => g.Count()).First();
        var day = busyDay.Key.ToString("yyyy-MM-dd");
        Assert.True(busyDay.Count() >= 20);

        var orders = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            var response = await api.GetAsync($"transactions/{companyId}?start_date={day}&end_date={day}&count=200");
            orders.Add(string.Join(',', response.Data.EnumerateArray().Select(t => t.GetProperty("id").GetString())));
        }

        Assert.True(orders.Count > 1);
    }

    [Fact]
    public async Task Goods_Paged_RespectsCount()
    {
        var page1 = await _api.GetAsync($"goods/{fixture.CompanyId}?count=5&page=1");
        var page3 = await _api.GetAsync($"goods/{fixture.CompanyId}?count=5&page=3");

        Assert.Equal(5, page1.Data.GetArrayLength());
        Assert.Equal(fixture.Server.Data.Goods(fixture.CompanyId).Count - 10, page3.Data.GetArrayLength());
    }
}
