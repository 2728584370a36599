using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Streams;

namespace Example.Connector.Tests;

/// <summary>What this connector promises beyond the conformance suite: every item once, paged, and incremental reads.</summary>
public sealed class ExampleConnectorTests : IAsyncLifetime
{
    private ExampleApiServer? _server;

    private ExampleApiServer Server => _server!;

    public async Task InitializeAsync() => _server = await ExampleApiServer.StartAsync(itemCount: 130);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task ReadAsync_FirstRun_ReadsEveryItemOnceWithACheckpointPerPage()
    {
        var messages = await ReadAsync(state: null);

        var ids = messages.OfType<SourceRecord>().Select(r => (long)r.Data["id"]!).ToList();
        Assert.Equal(Enumerable.Range(1, 130).Select(i => (long)i), ids.Order());
        Assert.Equal(6, messages.OfType<SourceCheckpoint>().Count()); // 130 items, 25 a page
        Assert.IsType<SourceCheckpoint>(messages[^1]);
    }

    [Fact]
    public async Task ReadAsync_FromTheLastCheckpoint_ReadsOnlyItemsChangedSinceTheCursor()
    {
        var first = await ReadAsync(state: null);
        var state = first.OfType<SourceCheckpoint>().Last().State;
        var latest = Server.Items.Max(ExampleApiServer.UpdatedAt);

        var resumed = await ReadAsync(state);

        // The cursor is inclusive: only the last item (changed at the cursor itself) is read again.
        var rows = resumed.OfType<SourceRecord>().ToList();
        Assert.Equal([130L], rows.Select(r => (long)r.Data["id"]!));
        Assert.All(rows, r => Assert.Equal(latest, ExampleApiServer.UpdatedAt(r.Data)));
    }

    [Fact]
    public async Task ReadAsync_WithAPeriod_StartsAtItsFirstDay()
    {
        var from = DateOnly.FromDateTime(ExampleApiServer.FirstChange.UtcDateTime).AddDays(1);
        var expected = Server.Items.Where(i => ExampleApiServer.UpdatedAt(i) >= new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))
            .Select(i => (long)i["id"]!).Order().ToList();
        Assert.NotEmpty(expected);

        var messages = await ReadAsync(state: null, from);

        Assert.Equal(expected, messages.OfType<SourceRecord>().Select(r => (long)r.Data["id"]!).Order());
    }

    private async Task<List<SourceMessage>> ReadAsync(JsonObject? state, DateOnly? from = null)
    {
        var config = JsonNode.Parse($$"""{"base_url": "{{Server.BaseUrl.AbsoluteUri}}", "api_key": "{{ExampleApiServer.ApiKey}}", "page_size": 25}""")!.AsObject();
        await using var session = await new ExampleConnector().ConnectAsync(new SourceContext { Config = config });
        var messages = new List<SourceMessage>();
        await foreach (var message in session.ReadAsync(new ReadRequest { Streams = [ExampleConnector.ItemsStream], State = state, From = from }))
        {
            messages.Add(message);
        }

        return messages;
    }
}
