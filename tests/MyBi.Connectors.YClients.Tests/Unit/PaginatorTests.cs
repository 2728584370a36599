using System.Net;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Reading;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class PaginatorTests
{
    private static readonly ApiRequest s_clients = new() { Stream = "clients", Path = "/clients/1", Purpose = "read clients", CompanyId = 1 };

    private static HttpResponseMessage Page(int firstId, int rows, int totalCount, bool reversed = false) =>
        ListPage(firstId, rows, new JsonObject { ["page"] = 1, ["total_count"] = totalCount }, reversed);

    private static HttpResponseMessage ListPage(int firstId, int rows, JsonNode? meta, bool reversed = false)
    {
        var data = new JsonArray();
        foreach (var i in reversed ? Enumerable.Range(0, rows).Reverse() : Enumerable.Range(0, rows))
        {
            data.Add(new JsonObject { ["id"] = firstId + i });
        }

        var body = new JsonObject { ["success"] = true, ["data"] = data, ["meta"] = meta };
        return FakeHandler.Json(HttpStatusCode.OK, body.ToJsonString());
    }

    private static async Task<List<int>> ReadAll(YClientsHttpClient client, int count)
    {
        var pages = new List<int>();
        await foreach (var page in Paginator.PagesAsync(client, s_clients, count))
        {
            pages.Add(page.Count);
        }

        return pages;
    }

    [Fact]
    public async Task PagesAsync_ShortPageBelowTotalCount_ReadsOnUntilTheTotalIsReached()
    {
        // The server caps count at 2 although 3 were asked: a short page is not the last while total_count says more.
        var handler = new FakeHandler((_, n) => Page(n * 100, n < 3 ? 2 : 1, totalCount: 5));
        using var client = UnitClient.Create(handler);

        var pages = await ReadAll(client, count: 3);

        Assert.Equal([2, 2, 1], pages);
        Assert.Equal(3, handler.Count);
    }

    [Fact]
    public async Task PagesAsync_ShortPagesWithoutTotalCount_ReadOnUntilAnEmptyPage()
    {
        var handler = new FakeHandler((_, n) => ListPage(n * 100, n < 4 ? 2 : 0, new JsonArray()));
        using var client = UnitClient.Create(handler);

        var pages = await ReadAll(client, count: 3);

        Assert.Equal([2, 2, 2, 0], pages);
    }

    [Fact]
    public async Task PagesAsync_RepeatedPageWithNullIds_FailsInsteadOfLoopingForever()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.OK,
            """{"success":true,"data":[{"id":null,"comment":"a"},{"id":null,"comment":"b"}],"meta":[]}"""));
        using var client = UnitClient.Create(handler);

        var error = await Assert.ThrowsAsync<MyBiException>(() => ReadAll(client, count: 2));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("same rows for page 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, handler.Count);
    }

    [Fact]
    public async Task PagesAsync_RepeatedPageInAnotherOrder_FailsInsteadOfLoopingForever()
    {
        var handler = new FakeHandler((_, n) => n % 2 == 1 ? Page(1, 2, totalCount: 100) : Page(1, 2, totalCount: 100, reversed: true));
        using var client = UnitClient.Create(handler);

        var error = await Assert.ThrowsAsync<MyBiException>(() => ReadAll(client, count: 2));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Equal(2, handler.Count);
    }

    [Fact]
    public async Task PagesAsync_EndpointWithoutPages_StopsWhenItsShortAnswerComesAgain()
    {
        var handler = new FakeHandler((_, _) => ListPage(1, 3, new JsonArray()));
        using var client = UnitClient.Create(handler);

        var pages = await ReadAll(client, count: 200);

        Assert.Equal([3], pages);
        Assert.Equal(2, handler.Count);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"count":4}""")]
    [InlineData("""{"page":1,"total_count":4}""")]
    [InlineData("""{"total_count":"4"}""")]
    [InlineData("null")]
    public async Task PagesAsync_EveryMetaShape_LoadsAllRows(string meta)
    {
        var handler = new FakeHandler((_, n) => ListPage(n * 100, n <= 2 ? 2 : 0, JsonNode.Parse(meta)));
        using var client = UnitClient.Create(handler);

        var pages = await ReadAll(client, count: 5);

        Assert.Equal(4, pages.Sum());
    }

    [Fact]
    public async Task PagesAsync_TotalCountSmallerThanRows_ReadsOnUntilAShortPage()
    {
        var handler = new FakeHandler((_, n) => Page(n * 100, n < 3 ? 2 : 0, totalCount: 1));
        using var client = UnitClient.Create(handler);

        var pages = await ReadAll(client, count: 2);

        Assert.Equal([2, 2, 0], pages);
    }

    [Fact]
    public async Task PagesAsync_Always_SendsPageAndCount()
    {
        var handler = new FakeHandler((_, n) => Page(n * 100, n == 1 ? 5 : 0, totalCount: 5));
        using var client = UnitClient.Create(handler);

        await ReadAll(client, count: 5);

        Assert.Equal(["/api/v1/clients/1?page=1&count=5", "/api/v1/clients/1?page=2&count=5"], handler.Requests.Select(r => r.Uri));
    }

    [Fact]
    public async Task PagesAsync_ServerIgnoringPage_FailsInsteadOfLoopingForever()
    {
        var handler = new FakeHandler((_, _) => Page(1, 2, totalCount: 2));
        using var client = UnitClient.Create(handler);

        var error = await Assert.ThrowsAsync<MyBiException>(() => ReadAll(client, count: 2));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Equal(2, handler.Count);
    }
}
