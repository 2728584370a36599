using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using MyBi.Connectors.YClients.Http;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class CompletionWindowRateLimiterTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    private static async Task<List<RateLimitLease>> Take(RateLimiter limiter, int count)
    {
        var leases = new List<RateLimitLease>();
        for (var i = 0; i < count; i++)
        {
            leases.Add(await limiter.AcquireAsync().AsTask().WaitAsync(s_patience));
        }

        return leases;
    }

    [Fact]
    public async Task AcquireAsync_SixthRequestInASecond_WaitsUntilASecondAfterTheFirstCompleted()
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        using var limiter = new CompletionWindowRateLimiter([(5, TimeSpan.FromSeconds(1))], time);
        var leases = await Take(limiter, 5);
        time.Advance(TimeSpan.FromMilliseconds(100));
        leases.ForEach(l => l.Dispose());

        var sixth = limiter.AcquireAsync().AsTask();
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(sixth.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        using var granted = await sixth.WaitAsync(s_patience);

        Assert.True(granted.IsAcquired);
        Assert.Equal(TimeSpan.FromMilliseconds(1100), time.GetUtcNow() - start);
    }

    [Fact]
    public async Task AcquireAsync_InFlightRequestsFillTheWindow_WaitsForACompletionAndItsWindow()
    {
        var time = new FakeTimeProvider();
        using var limiter = new CompletionWindowRateLimiter([(2, TimeSpan.FromSeconds(1))], time);
        var leases = await Take(limiter, 2);

        var third = limiter.AcquireAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(third.IsCompleted);

        leases[0].Dispose();
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(third.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        using var granted = await third.WaitAsync(s_patience);
        Assert.True(granted.IsAcquired);
        leases[1].Dispose();
    }

    [Fact]
    public async Task AcquireAsync_MinuteBudgetSpent_WaitsForTheMinuteWindow()
    {
        var time = new FakeTimeProvider();
        using var limiter = RateLimiterRegistry.Create(perSecond: 5, perMinute: 10, time);
        for (var i = 0; i < 10; i++)
        {
            (await limiter.AcquireAsync().AsTask().WaitAsync(s_patience)).Dispose();
            time.Advance(TimeSpan.FromSeconds(2));
        }

        var eleventh = limiter.AcquireAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(eleventh.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(11));
        using var granted = await eleventh.WaitAsync(s_patience);
        Assert.True(granted.IsAcquired);
    }

    [Fact]
    public void AttemptAcquire_BudgetSpent_IsRefused()
    {
        var time = new FakeTimeProvider();
        using var limiter = new CompletionWindowRateLimiter([(1, TimeSpan.FromSeconds(1))], time);

        using var first = limiter.AttemptAcquire();
        using var second = limiter.AttemptAcquire();

        Assert.True(first.IsAcquired);
        Assert.False(second.IsAcquired);
    }

    [Fact]
    public void For_SameBaseUrl_IsOneSharedLimiter()
    {
        var url = new Uri($"http://shared-{Guid.NewGuid():N}.test/api/v1");

        Assert.Same(RateLimiterRegistry.For(url, 5, 200), RateLimiterRegistry.For(new Uri(url.AbsoluteUri + "/"), 5, 200));
        Assert.NotSame(RateLimiterRegistry.For(url, 5, 200), RateLimiterRegistry.For(new Uri($"http://other-{Guid.NewGuid():N}.test/api/v1"), 5, 200));
    }

    [Fact]
    public void For_SameBaseUrlWithAStricterBudget_GetsItsOwnLimiterInsteadOfTheLooserOne()
    {
        // A port freed by one sandbox is handed to the next: a session asking for 5/s must not inherit 1000/s.
        var url = new Uri($"http://reused-{Guid.NewGuid():N}.test/api/v1");
        var loose = RateLimiterRegistry.For(url, 1000, 100_000);

        var strict = RateLimiterRegistry.For(url, 5, 200);

        Assert.NotSame(loose, strict);
        Assert.Equal(5, strict.GetStatistics()!.CurrentAvailablePermits);
    }
}
