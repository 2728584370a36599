using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Connectors.YClients.Tests.Support;
using MyBi.Plugins.Testing;
using MyBi.Testing;

namespace MyBi.Connectors.YClients.Tests.Integration;

/// <summary>The connector conformance suite against a sandbox of its own per test, over real HTTP.</summary>
public sealed class YClientsConnectorConformanceTests : ConnectorConformanceTests
{
    private SandboxServer? _server;

    private SandboxServer Server => _server ?? throw new InvalidOperationException("The sandbox starts in InitializeAsync.");

    protected override TimeProvider TimeProvider => TestClock.Running;

    protected override IReadOnlyCollection<string> SecretValues =>
        [SandboxCredentials.PartnerToken, SandboxCredentials.Password, SandboxCredentials.UserToken];

    public override async Task InitializeAsync() => _server = await SandboxHarness.StartAsync();

    public override async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    protected override SourceConnector CreateConnector() => SandboxHarness.Connector();

    // Without a lookback a resumed read starts exactly at the stored cursors.
    protected override JsonObject CreateConfig() => SandboxHarness.Config(Server, c => c["lookback_days"] = 0);

    protected override IEnumerable<InvalidConfig> InvalidConfigs() =>
    [
        new("wrong password", SandboxHarness.Config(Server, c => c["password"] = "not-the-sandbox-password")),
        new("wrong partner token", SandboxHarness.Config(Server, c => c["partner_token"] = "not-the-partner-token")),
        new("wrong user token", SandboxHarness.Config(Server, c =>
        {
            c.Remove("login");
            c.Remove("password");
            c["user_token"] = "not-the-user-token";
        })),
        new("unknown company", SandboxHarness.Config(Server, c => c["company_ids"] = new JsonArray(987654321))),
    ];

    // Each company keeps cursors of its own.
    protected override IReadOnlyList<string> CursorPartition(StreamDescriptor stream) => ["company_id"];
}
