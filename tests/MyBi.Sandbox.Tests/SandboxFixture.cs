using Microsoft.Extensions.Time.Testing;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

/// <summary>A read-only sandbox shared by a test class: fixed anchor date, no rate limit, no faults.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public static readonly DateOnly Today = new(2024, 3, 15);

    public SandboxServer Server { get; private set; } = null!;

    public long CompanyId => Server.Data.AccessibleCompanies[0].Id;

    public long SecondCompanyId => Server.Data.AccessibleCompanies[1].Id;

    public static SandboxOptions Options(FakeTimeProvider? time = null) => new()
    {
        Today = Today,
        TimeProvider = time ?? new FakeTimeProvider(new DateTimeOffset(2024, 3, 15, 12, 0, 0, TimeSpan.Zero)),
        RateLimitEnabled = false,
    };

    public async Task InitializeAsync() => Server = await SandboxServer.StartAsync(Options());

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
