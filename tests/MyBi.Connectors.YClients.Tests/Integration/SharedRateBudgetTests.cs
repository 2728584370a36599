using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Tests.Support;
using MyBi.Testing;

namespace MyBi.Connectors.YClients.Tests.Integration;

/// <summary>
/// Two pipelines on one YCLIENTS account, each with its own load of the plugin (and so its own statics), spend the
/// one budget the host keeps for the process.
/// </summary>
public sealed class SharedRateBudgetTests
{
    [Fact]
    public async Task ReadAsync_TwoPluginLoadsOnOneAccount_SpendTheHostsOneBudget()
    {
        // The sandbox allows exactly the budget the connector asks for by default: 5 per second, 200 per minute.
        await using var server = await SandboxHarness.StartAsync(o => o.RateLimitEnabled = true);
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("requests_per_second");
            c.Remove("requests_per_minute");
            c["max_retries"] = 0;
        });
        var budgets = new RateBudgets();
        var connectors = new[] { Load(), Load() };
        Assert.NotSame(connectors[0].GetType(), connectors[1].GetType());

        var results = await Task.WhenAll(connectors.Select(c => ReadAsync(c, (JsonObject)config.DeepClone(), budgets)));

        // Together the two loads sent far more than one window's worth, and the server refused none of it.
        Assert.True(server.Stats.TotalRequests > 2 * 5, $"only {server.Stats.TotalRequests} requests; the test proves nothing");
        Assert.Equal(0, server.Stats.RateLimitedRequests);
        var services = server.Data.AccessibleCompanies.Sum(c => server.Data.Services(c.Id).Count);
        Assert.All(results, rows => Assert.Equal(services, rows.Count(r => r.Stream == "services")));
    }

    private static async Task<List<SourceRecord>> ReadAsync(SourceConnector connector, JsonObject config, RateBudgets budgets)
    {
        var context = new SourceContext { Config = config, TimeProvider = TestClock.Running, RateBudgets = budgets };
        await using var session = await connector.ConnectAsync(context);
        var rows = new List<SourceRecord>();
        await foreach (var message in session.ReadAsync(SandboxHarness.Request(["staff", "services", "service_categories"])))
        {
            if (message is SourceRecord record)
            {
                rows.Add(record);
            }
        }

        return rows;
    }

    /// <summary>The connector from a load context of its own, as the host loads a plugin; only the contract is shared.</summary>
    private static SourceConnector Load()
    {
        var path = typeof(YClientsConnector).Assembly.Location;
        var context = new PluginLoadContext(Path.GetDirectoryName(path)!);
        var assembly = context.LoadFromAssemblyPath(path);
        return (SourceConnector)Activator.CreateInstance(assembly.GetType(typeof(YClientsConnector).FullName!, throwOnError: true)!)!;
    }

    private sealed class PluginLoadContext(string folder) : AssemblyLoadContext("yclients-plugin")
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name == typeof(SourceConnector).Assembly.GetName().Name)
            {
                return null;
            }

            var file = Path.Combine(folder, assemblyName.Name + ".dll");
            return File.Exists(file) ? LoadFromAssemblyPath(file) : null;
        }
    }
}
