using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Sandbox.Tests;

/// <summary>A read-only sandbox shared by a test class: the suite's pinned date as anchor, no rate limit, no faults.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public static DateOnly Today => TestClock.Today;

    /// <summary>Noon UTC of <see cref="Today"/>: 15:00 for the Moscow company, the same day for every company.</summary>
    public static DateTimeOffset Noon => new(Today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    public static DateOnly Day(int fromToday) => Today.AddDays(fromToday);

    /// <summary>The day <paramref name="fromToday"/> days from <see cref="Today"/> as the API writes dates (yyyy-MM-dd).</summary>
    public static string Iso(int fromToday) => Day(fromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public SandboxServer Server { get; private set; } = null!;

    public long CompanyId => Server.Data.AccessibleCompanies[0].Id;

    public long SecondCompanyId => Server.Data.AccessibleCompanies[1].Id;

    public static SandboxOptions Options(FakeTimeProvider? time = null) => new()
    {
        Today = Today,
        TimeProvider = time ?? new FakeTimeProvider(Noon),
        RateLimitEnabled = false,
    };

    public async Task InitializeAsync() => Server = await SandboxServer.StartAsync(Options());

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
