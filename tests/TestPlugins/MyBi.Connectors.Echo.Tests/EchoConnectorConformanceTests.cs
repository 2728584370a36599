using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Plugins.Testing;

namespace MyBi.Connectors.Echo.Tests;

public sealed class EchoConnectorConformanceTests : ConnectorConformanceTests
{
    protected override SourceConnector CreateConnector() => new EchoConnector();

    protected override JsonObject CreateConfig() => new() { ["count"] = 40, ["label"] = "conformance" };

    protected override IEnumerable<InvalidConfig> InvalidConfigs() =>
    [
        new("no count", new JsonObject { ["label"] = "conformance" }),
    ];
}
