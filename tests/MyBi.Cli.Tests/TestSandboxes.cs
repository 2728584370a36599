using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>The small one-company sandbox the serve tests load: the suite's pinned day and clock, no rate limit.</summary>
internal static class TestSandboxes
{
    public static Task<SandboxServer> StartAsync(int seed, int clients, int daysBack, int daysForward, int staff = 2, TimeSpan? webhookRetryDelay = null)
    {
        var options = new SandboxOptions
        {
            Seed = seed,
            Companies = 1,
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
