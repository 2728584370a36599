using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Plugins.Testing;

namespace Example.Connector.Tests;

/// <summary>The MyBi connector conformance suite, against the example API on loopback (a server per test).</summary>
public sealed class ExampleConnectorConformanceTests : ConnectorConformanceTests
{
    private ExampleApiServer? _server;

    private ExampleApiServer Server => _server ?? throw new InvalidOperationException("The server starts in InitializeAsync.");

    public override async Task InitializeAsync() => _server = await ExampleApiServer.StartAsync();

    public override async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    protected override SourceConnector CreateConnector() => new ExampleConnector { RetryDelay = TimeSpan.FromMilliseconds(10) };

    // Several pages, so that checkpoints, resuming and cancellation between pages are exercised.
    protected override JsonObject CreateConfig() => Config(ExampleApiServer.ApiKey);

    protected override IEnumerable<InvalidConfig> InvalidConfigs() =>
    [
        new("wrong api key", Config("not-the-api-key")),
        new("no api key", new JsonObject { ["base_url"] = Server.BaseUrl.AbsoluteUri }),
        new("relative base_url", new JsonObject { ["base_url"] = "v1/items", ["api_key"] = ExampleApiServer.ApiKey }),
    ];

    private JsonObject Config(string apiKey) =>
        new() { ["base_url"] = Server.BaseUrl.AbsoluteUri, ["api_key"] = apiKey, ["page_size"] = 25 };
}
