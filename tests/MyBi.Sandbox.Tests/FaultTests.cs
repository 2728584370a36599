using System.Net;
using Microsoft.Extensions.Time.Testing;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task FaultRate_ManyRequests_ShareOf500sFollowsRateAndIsCounted()
    {
        var options = SandboxFixture.Options();
        options.FaultRate = 0.25;
        await using var server = await SandboxServer.StartAsync(options);
        using var api = new ApiClient(server);
        var path = $"company/{server.Data.AccessibleCompanies[0].Id}/staff";

        var faults = 0;
        for (var i = 0; i < 400; i++)
        {
            var response = await api.GetAsync(path);
            if (response.Status == HttpStatusCode.InternalServerError)
            {
                faults++;
                Assert.False(response.Success);
                Assert.False(string.IsNullOrEmpty(response.Message));
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.Status);
            }
        }

        Assert.InRange(faults, 70, 130);
        Assert.Equal(faults, server.Stats.FaultsSent);
    }

    [Fact]
    public async Task FaultRate_Unauthorized_AreAnswered401NotFaulted()
    {
        var options = SandboxFixture.Options();
        options.FaultRate = 1;
        await using var server = await SandboxServer.StartAsync(options);
        using var api = new ApiClient(server);

        var response = await api.GetAsync($"records/{server.Data.AccessibleCompanies[0].Id}", "Bearer wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(0, server.Stats.FaultsSent);
    }

    [Fact]
    public async Task FaultSequence_SameSeed_FaultsTheSameRequests()
    {
        async Task<string> RunAsync()
        {
            var options = SandboxFixture.Options();
            options.FaultRate = 0.3;
            await using var server = await SandboxServer.StartAsync(options);
            using var api = new ApiClient(server);
            var pattern = new System.Text.StringBuilder();
            for (var i = 0; i < 40; i++)
            {
                pattern.Append((await api.GetAsync($"company/{server.Data.AccessibleCompanies[0].Id}")).Status == HttpStatusCode.OK ? '.' : 'X');
            }

            return pattern.ToString();
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Contains('X', first);
    }

    [Fact]
    public async Task SlowRate_Request_WaitsForTheDelayOnTheServerClock()
    {
        var time = new FakeTimeProvider(SandboxFixture.Noon);
        var options = SandboxFixture.Options(time);
        options.SlowRate = 1;
        options.SlowDelay = TimeSpan.FromMinutes(5);
        await using var server = await SandboxServer.StartAsync(options);
        using var api = new ApiClient(server);

        var pending = api.GetAsync($"company/{server.Data.AccessibleCompanies[0].Id}");
        for (var i = 0; i < 1000 && server.Stats.SlowResponses == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, server.Stats.SlowResponses);
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(5));
        var response = await pending;

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task SlowRate_ClientAborts_ServerStaysHealthy()
    {
        var time = new FakeTimeProvider(SandboxFixture.Noon);
        var options = SandboxFixture.Options(time);
        options.SlowRate = 1;
        options.SlowDelay = TimeSpan.FromMinutes(5);
        await using var server = await SandboxServer.StartAsync(options);
        using var api = new ApiClient(server);
        using var abort = new CancellationTokenSource();

        var pending = api.SendAsync(HttpMethod.Get, $"company/{server.Data.AccessibleCompanies[0].Id}", null, SandboxCredentials.UserHeader(), "application/json", abort.Token);
        for (var i = 0; i < 1000 && server.Stats.SlowResponses == 0; i++)
        {
            await Task.Delay(10);
        }

        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        var next = api.GetAsync($"company/{server.Data.AccessibleCompanies[0].Id}");
        for (var i = 0; i < 1000 && server.Stats.SlowResponses < 2; i++)
        {
            await Task.Delay(10);
        }

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await next).Status);
    }
}
