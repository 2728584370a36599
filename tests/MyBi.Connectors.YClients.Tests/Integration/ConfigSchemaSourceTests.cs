using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Connectors.YClients.Tests.Support;
using MyBi.Connectors.YClients.Tests.Unit;
using MyBi.Testing;

namespace MyBi.Connectors.YClients.Tests.Integration;

/// <summary>The connector, created without a host, enforces the config schema it ships and nothing else.</summary>
public sealed class ConfigSchemaSourceTests : IDisposable
{
    private readonly string _plugin = Directory.CreateTempSubdirectory("mybi-yclients-plugin-").FullName;

    public void Dispose() => Directory.Delete(_plugin, recursive: true);

    [Fact]
    public async Task ConnectAsync_PluginSchemaWithStricterBound_RefusesBeforeAnyRequest()
    {
        await using var server = await SandboxHarness.StartAsync();
        CopyPlugin(stricter: true);
        var connector = new YClientsConnector(_plugin) { RetryDelay = TimeSpan.FromMilliseconds(50) };
        var requests = server.Stats.RequestsFor("/auth") + server.Stats.RequestsFor("/companies");

        var error = await Assert.ThrowsAsync<MyBiException>(() => connector.ConnectAsync(Context(server, 260)).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Equal("YCLIENTS source config: page_size must be between 1 and 250.", error.Message);
        Assert.Equal(requests, server.Stats.RequestsFor("/auth") + server.Stats.RequestsFor("/companies"));
    }

    [Fact]
    public async Task ConnectAsync_ShippedSchema_AcceptsTheSameValue()
    {
        await using var server = await SandboxHarness.StartAsync();
        CopyPlugin(stricter: false);
        var connector = new YClientsConnector(_plugin) { RetryDelay = TimeSpan.FromMilliseconds(50) };

        await using var session = await connector.ConnectAsync(Context(server, 260));

        Assert.NotNull(session);
    }

    private static SourceContext Context(SandboxServer server, int pageSize) => new()
    {
        Config = new JsonObject
        {
            ["base_url"] = server.BaseUrl.AbsoluteUri,
            ["partner_token"] = SandboxCredentials.PartnerToken,
            ["user_token"] = SandboxCredentials.UserToken,
            ["company_id"] = server.Data.AccessibleCompanies[0].Id,
            ["page_size"] = pageSize,
            ["requests_per_second"] = 1000,
            ["requests_per_minute"] = 100000,
        },
        Observer = SourceObserver.None,
        TimeProvider = TestClock.Running,
    };

    private void CopyPlugin(bool stricter)
    {
        var shipped = AppContext.BaseDirectory;
        var schema = File.ReadAllText(Path.Combine(shipped, "config.schema.json"));
        File.WriteAllText(Path.Combine(_plugin, "config.schema.json"), stricter ? YClientsOptionsTests.Stricter(schema) : schema);
        foreach (var folder in new[] { "streams", "reports" })
        {
            Directory.CreateDirectory(Path.Combine(_plugin, folder));
            foreach (var file in Directory.GetFiles(Path.Combine(shipped, folder), "*.schema.json"))
            {
                File.Copy(file, Path.Combine(_plugin, folder, Path.GetFileName(file)));
            }
        }
    }
}
