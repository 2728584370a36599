using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>The small sandbox the serve tests load (one company unless told): the suite's pinned day and clock, no rate limit.</summary>
internal static class TestSandboxes
{
    public static Task<SandboxServer> StartAsync(int seed, int clients, int daysBack, int daysForward, int staff = 2, TimeSpan? webhookRetryDelay = null, int companies = 1)
    {
        var options = new SandboxOptions
        {
            Seed = seed,
            Companies = companies,
            StaffPerCompany = staff,
            ClientsPerCompany = clients,
            DaysBack = daysBack,
            DaysForward = daysForward,
            Today = TestClock.Today,
            TimeProvider = TestClock.Running,
            RateLimitEnabled = false,
        };
        if (webhookRetryDelay is { } delay)
        {
            options.WebhookRetryDelay = delay;
        }

        return SandboxServer.StartAsync(options);
    }
}
