using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Example.Connector.Tests;

/// <summary>
/// A small stand-in for the example API on a free loopback port: fixed items, paging, <c>updated_since</c> and the
/// bearer key. Replace it with the shape of your API (keep it real HTTP, so the connector's client is tested too).
/// </summary>
internal sealed class ExampleApiServer : IAsyncDisposable
{
    public const string ApiKey = "test-api-key";

    /// <summary>When the first item changed; the others follow every 30 minutes, two of them at the same instant.</summary>
    public static readonly DateTimeOffset FirstChange = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private ExampleApiServer(WebApplication app, Uri baseUrl, IReadOnlyList<JsonObject> items)
    {
        _app = app;
        BaseUrl = baseUrl;
        Items = items;
    }

    public Uri BaseUrl { get; }

    public IReadOnlyList<JsonObject> Items { get; }

    public int Requests => _requests;

    private int _requests;

    public static async Task<ExampleApiServer> StartAsync(int itemCount = 130)
    {
        var items = Enumerable.Range(1, itemCount).Select(Item).ToList();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        ExampleApiServer? server = null;
        app.UseRouting();
        app.MapGet("/v1/items", (HttpContext http) =>
        {
            Interlocked.Increment(ref server!._requests);
            if (http.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
            {
                return Results.Content("""{"error": "invalid api key"}""", "application/json", statusCode: 401);
            }

            var query = http.Request.Query;
            var page = int.Parse(query["page"].FirstOrDefault() ?? "1", CultureInfo.InvariantCulture);
            var perPage = int.Parse(query["per_page"].FirstOrDefault() ?? "100", CultureInfo.InvariantCulture);
            var since = query["updated_since"].FirstOrDefault() is { } text
                ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None)
                : DateTimeOffset.MinValue;
            var matching = items.Where(i => UpdatedAt(i) >= since).OrderBy(UpdatedAt).ThenBy(i => (long)i["id"]!).ToList();
            var pageItems = new JsonArray(matching.Skip((page - 1) * perPage).Take(perPage).Select(i => (JsonNode)i.DeepClone()).ToArray());
            var answer = new JsonObject
            {
                ["items"] = pageItems,
                ["next_page"] = page * perPage < matching.Count ? page + 1 : null,
            };
            return Results.Content(answer.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new ExampleApiServer(app, new Uri(address.TrimEnd('/') + "/v1"), items);
        return server;
    }

    public static DateTimeOffset UpdatedAt(JsonObject item) =>
        DateTimeOffset.Parse((string)item["updated_at"]!, CultureInfo.InvariantCulture, DateTimeStyles.None);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static JsonObject Item(int id) => new()
    {
        ["id"] = (long)id,
        ["name"] = $"Item {id}",
        ["price"] = id * 1.25m,
        ["updated_at"] = FirstChange.AddMinutes(30 * (id == 2 ? 1 : id)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
        ["owner"] = id % 5 == 0 ? null : new JsonObject { ["id"] = id % 7, ["email"] = $"owner{id % 7}@example.com" },
        ["tags"] = new JsonArray("example", id % 2 == 0 ? "even" : "odd"),
    };
}
