using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Reports;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Connectors.YClients.Tests.Support;

/// <summary>Starts sandbox servers and runs the connector against them over real HTTP.</summary>
internal static class SandboxHarness
{
    /// <summary>A small dataset anchored at the suite's pinned date, rate limit off unless a test turns it on.</summary>
    public static Task<SandboxServer> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions
        {
            Companies = 2,
            StaffPerCompany = 3,
            ClientsPerCompany = 60,
            ServicesPerCompany = 12,
            DaysBack = 12,
            DaysForward = 4,
            RecordsPerStaffPerDay = 4,
            RateLimitEnabled = false,
            Today = TestClock.Today,
            TimeProvider = TestClock.Running,
        };
        configure?.Invoke(options);
        return SandboxServer.StartAsync(options);
    }

    /// <summary>Config of the main user (login and password), every accessible company, no request budget.</summary>
    public static JsonObject Config(SandboxServer server, Action<JsonObject>? change = null)
    {
        var config = new JsonObject
        {
            ["base_url"] = server.BaseUrl.AbsoluteUri,
            ["partner_token"] = SandboxCredentials.PartnerToken,
            ["login"] = SandboxCredentials.Login,
            ["password"] = SandboxCredentials.Password,
            ["company_ids"] = new JsonArray(server.Data.AccessibleCompanies.Select(c => (JsonNode)c.Id).ToArray()),
            ["requests_per_second"] = 1000,
            ["requests_per_minute"] = 100000,
            ["max_retries"] = 2,
            ["timeout_seconds"] = 20,
        };
        change?.Invoke(config);
        return config;
    }

    public static YClientsConnector Connector() => new() { RetryDelay = TimeSpan.FromMilliseconds(50) };

    public static async Task<ReadResult> ReadAsync(
        JsonObject config,
        ReadRequest request,
        TimeProvider? time = null,
        SourceObserver? observer = null)
    {
        var connector = Connector();
        var context = new SourceContext
        {
            Config = config,
            TimeProvider = time ?? TestClock.Running,
            Observer = observer ?? SourceObserver.None,
        };
        await using var session = await connector.ConnectAsync(context);
        var result = new ReadResult();
        await foreach (var message in session.ReadAsync(request))
        {
            result.Add(message);
        }

        return result;
    }

    /// <summary>Exports one report through a fresh session.</summary>
    public static async Task<ReadResult> ReportAsync(JsonObject config, string reportType, DateOnly from, DateOnly to, SourceObserver? observer = null)
    {
        var context = new SourceContext { Config = config, Observer = observer ?? SourceObserver.None, TimeProvider = TestClock.Running };
        await using var session = await Connector().ConnectAsync(context);
        var result = new ReadResult();
        await foreach (var message in session.ReadReportAsync(new ReportRequest { ReportType = reportType, From = from, To = to }))
        {
            result.Add(message);
        }

        return result;
    }

    public static ReadRequest Request(IReadOnlyList<string> streams, DateOnly? from = null, DateOnly? to = null, JsonObject? state = null) =>
        new() { Streams = streams, From = from, To = to, State = state };
}
