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

    private static HttpResponseMessage Page(int firstId, int rows, int totalCount)
    {
        var data = new JsonArray();
        for (var i = 0; i < rows; i++)
        {
            data.Add(new JsonObject { ["id"] = firstId + i });
        }

        var body = new JsonObject { ["success"] = true, ["data"] = data, ["meta"] = new JsonObject { ["page"] = 1, ["total_count"] = totalCount } };
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
    public async Task PagesAsync_ShortPage_StopsEvenThoughTotalCountSaysMore()
    {
        var handler = new FakeHandler((_, n) => Page(n * 100, n < 3 ? 2 : 1, totalCount: 1000));
        using var client = UnitClient.Create(handler);

        var pages = await ReadAll(client, count: 2);

        Assert.Equal([2, 2, 1], pages);
        Assert.Equal(3, handler.Count);
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
