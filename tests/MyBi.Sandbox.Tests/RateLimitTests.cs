using System.Net;
using Microsoft.Extensions.Time.Testing;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

/// <summary>The clock is a FakeTimeProvider that only moves when told, so window arithmetic is exact.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task PerSecondLimit_SixthRequest_Gets429WithRetryAfterAndIsCounted()
    {
        var time = new FakeTimeProvider(SandboxFixture.Noon);
        var options = SandboxFixture.Options(time);
        options.RateLimitEnabled = true;
        await using var server = await SandboxServer.StartAsync(options);
        using var api = new ApiClient(server);
        var path = $"company/{server.Data.AccessibleCompanies[0].Id}";

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(path)).Status);
        }

        var limited = await api.GetAsync(path);
        time.Advance(TimeSpan.FromSeconds(1));
        var afterWait = await api.GetAsync(path);

        Assert.Equal((HttpStatusCode)429, limited.Status);
        Assert.False(limited.Success);
        Assert.Equal("Too Many Requests", limited.Message);
        Assert.Equal("1", limited.RetryAfter);
        Assert.Equal(1, server.Stats.RateLimitedRequests);
        Assert.Equal(HttpStatusCode.OK, afterWait.Status);
        Assert.Equal(7, server.Stats.TotalRequests);
    }

    [Fact]
    public async Task PerMinuteLimit_Exceeded_RetryAfterPointsToWindowEnd()
    {
        var time = new FakeTimeProvider(SandboxFixture.Noon);
        var options = SandboxFixture.Options(time);
        options.RateLimitEnabled = true;
        options.RequestsPerSecond = 100;
        options.RequestsPerMinute = 10;
        await using var server = await SandboxServer.StartAsync(options);
        using var api = new ApiClient(server);
        var path = $"company/{server.Data.AccessibleCompanies[0].Id}";

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(path)).Status);
            time.Advance(TimeSpan.FromSeconds(2));
        }

        var limited = await api.GetAsync(path);
        time.Advance(TimeSpan.FromSeconds(int.Parse(limited.RetryAfter!)));
        var afterWait = await api.GetAsync(path);

        Assert.Equal((HttpStatusCode)429, limited.Status);
        Assert.Equal("40", limited.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, afterWait.Status);
    }

    [Fact]
    public async Task RateLimitDisabled_ManyRequests_NeverLimited()
    {
        await using var server = await SandboxServer.StartAsync(SandboxFixture.Options());
        using var api = new ApiClient(server);

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"company/{server.Data.AccessibleCompanies[0].Id}")).Status);
        }

        Assert.Equal(0, server.Stats.RateLimitedRequests);
    }

    [Fact]
    public async Task RateLimitedRequests_AreNotFaulted()
    {
        var time = new FakeTimeProvider(SandboxFixture.Noon);
        var options = SandboxFixture.Options(time);
        options.RateLimitEnabled = true;
        options.FaultRate = 1;
        await using var server = await SandboxServer.StartAsync(options);
        using var api = new ApiClient(server);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add((await api.GetAsync($"company/{server.Data.AccessibleCompanies[0].Id}")).Status);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.InternalServerError, 5).Concat(Enumerable.Repeat((HttpStatusCode)429, 3)), statuses);
        Assert.Equal(5, server.Stats.FaultsSent);
        Assert.Equal(3, server.Stats.RateLimitedRequests);
    }
}
