using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

/// <summary>The sandbox posts webhooks for its changes, like YCLIENTS, to a receiver on loopback.</summary>
public sealed class WebhookSendingTests : IAsyncLifetime
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string ContentType, string Body)> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _url;
    private Task _loop = Task.CompletedTask;
    private int _failFirst;
    private bool _hold;

    public WebhookSendingTests()
    {
        var port = FreePort();
        _url = $"http://127.0.0.1:{port}/hooks/";
        _listener.Prefixes.Add(_url);
    }

    [Fact]
    public async Task HooksSettings_SendsOnlyKindsTurnedOn_ShapedLikeYclients()
    {
        await using var server = await StartAsync(new SandboxOptions());
        using var api = new ApiClient(server);
        var companyId = server.Data.AccessibleCompanies[0].Id;
        var saved = await api.PostAsync($"hooks_settings/{companyId}", $$"""{"urls":["{{_url}}"],"active":1,"record":1,"client":0}""");
        Assert.Equal(HttpStatusCode.Created, saved.Status);

        server.Data.ChangeClientComment(companyId, server.Data.Clients(companyId)[0].Id, "changed");
        var summary = server.ChangeRecords(30);
        await DrainAsync(server);

        Assert.Equal(30, summary.Total);
        Assert.Equal(30, server.Stats.WebhooksSent);
        var bodies = _received.Select(r => JsonDocument.Parse(r.Body).RootElement.Clone()).ToList();
        Assert.Equal(30, bodies.Count);
        Assert.All(_received, r => Assert.Equal("application/json", r.ContentType));
        Assert.All(bodies, b =>
        {
            Assert.Equal(companyId, b.GetProperty("company_id").GetInt64());
            Assert.Equal("record", b.GetProperty("resource").GetString());
            Assert.Equal(b.GetProperty("resource_id").GetInt64(), b.GetProperty("data").GetProperty("id").GetInt64());
            // PHP's empty object is an empty array, as in the real payloads.
            Assert.Equal(JsonValueKind.Array, b.GetProperty("data").GetProperty("custom_fields").ValueKind);
        });
        Assert.Equal(summary.Created, bodies.Count(b => b.GetProperty("status").GetString() == "create"));
        var deletes = bodies.Where(b => b.GetProperty("status").GetString() == "delete").ToList();
        Assert.Equal(summary.Deleted, deletes.Count);
        Assert.All(deletes, b => Assert.True(b.GetProperty("data").GetProperty("deleted").GetBoolean()));

        // Turned off: nothing more is sent.
        await api.PostAsync($"hooks_settings/{companyId}", $$"""{"urls":["{{_url}}"],"active":0,"record":1}""");
        server.ChangeRecords(3);
        await DrainAsync(server);
        Assert.Equal(30, _received.Count);
    }

    [Fact]
    public async Task WebhookUrl_GetsEveryKind_AndAFailedDeliveryIsRetried()
    {
        _failFirst = 1;
        await using var server = await StartAsync(new SandboxOptions { WebhookUrls = [_url], WebhookRetryDelay = TimeSpan.FromMilliseconds(10) });
        var companyId = server.Data.AccessibleCompanies[0].Id;

        var client = server.Data.ChangeClientComment(companyId, server.Data.Clients(companyId)[0].Id, "changed");
        await DrainAsync(server);

        Assert.Equal(1, server.Stats.WebhooksSent);
        Assert.Equal(0, server.Stats.WebhooksFailed);
        var attempts = _received.Select(r => r.Body).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0], attempts[1]);
        var body = JsonDocument.Parse(attempts[1]).RootElement;
        Assert.Equal("client", body.GetProperty("resource").GetString());
        Assert.Equal("update", body.GetProperty("status").GetString());
        Assert.Equal(client.Id, body.GetProperty("resource_id").GetInt64());
        Assert.Equal("changed", body.GetProperty("data").GetProperty("comment").GetString());
    }

    [Fact]
    public async Task SlowReceiver_QueueIsBounded_AttemptsTimeOut_ChangesNeverWait()
    {
        _hold = true;
        await using var server = await StartAsync(new SandboxOptions
        {
            WebhookUrls = [_url],
            WebhookQueueLimit = 1,
            WebhookTimeout = TimeSpan.FromMilliseconds(300),
            WebhookAttempts = 2,
            WebhookRetryDelay = TimeSpan.FromMilliseconds(10),
        });

        // Eight senders hold one delivery each and the queue one more: the rest are dropped, not waited for.
        var summary = server.ChangeRecords(20);
        Assert.Equal(20, summary.Total);
        await DrainAsync(server);

        Assert.Equal(20, server.Stats.WebhooksQueued);
        Assert.InRange(server.Stats.WebhooksDropped, 11, 19);
        Assert.Equal(0, server.Stats.WebhooksSent);
        Assert.Equal(20 - server.Stats.WebhooksDropped, server.Stats.WebhooksFailed);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task<SandboxServer> StartAsync(SandboxOptions options)
    {
        options.Today = SandboxFixture.Today;
        options.TimeProvider = SandboxFixture.Options().TimeProvider;
        options.RateLimitEnabled = false;
        options.Companies = 1;
        options.DaysBack = 5;
        options.ClientsPerCompany = 20;
        _listener.Start();
        _loop = Task.Run(ReceiveAsync);
        return await SandboxServer.StartAsync(options);
    }

    private async Task ReceiveAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var context = await _listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            _received.Enqueue((context.Request.ContentType ?? "", body));
            if (_hold)
            {
                continue;
            }

            context.Response.StatusCode = Interlocked.Exchange(ref _failFirst, 0) == 1 ? 500 : 200;
            context.Response.Close();
        }
    }

    /// <summary>Until every queued delivery is sent, failed or dropped; a generous bound, not a timing assertion.</summary>
    private static async Task DrainAsync(SandboxServer server)
    {
        for (var i = 0; i < 600 && server.Stats.WebhooksPending > 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, server.Stats.WebhooksPending);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
