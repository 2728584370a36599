using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MyBi.Connectors.YClients.Sandbox.Data.Generation;
using MyBi.Connectors.YClients.Sandbox.Endpoints;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;
using MyBi.Connectors.YClients.Sandbox.Middleware;
using MyBi.Connectors.YClients.Sandbox.Webhooks;

namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A running emulator of the YCLIENTS REST API on the loopback interface.</summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly WebhookDispatcher _webhooks;
    private readonly RecordChanger _changer;
    private readonly CancellationTokenSource _stopChanges = new();
    private readonly Task _changes;
    private int _disposed;

    private SandboxServer(WebApplication app, Uri baseUrl, SandboxData data, SandboxStats stats, SandboxOptions options, WebhookDispatcher webhooks)
    {
        _app = app;
        BaseUrl = baseUrl;
        Data = data;
        Stats = stats;
        _webhooks = webhooks;
        _changer = new RecordChanger(data, options.Seed, options.DaysBack, options.DaysForward);
        _changes = options.ChangesPerMinute > 0 ? Task.Run(() => ChangeLoopAsync(options.ChangesPerMinute, _stopChanges.Token)) : Task.CompletedTask;
    }

    /// <summary><c>http://127.0.0.1:PORT/api/v1</c></summary>
    public Uri BaseUrl { get; }

    public SandboxData Data { get; }

    public SandboxStats Stats { get; }

    /// <summary>Generates the dataset and starts listening on 127.0.0.1.</summary>
    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var today = options.Today ?? DateOnly.FromDateTime(options.TimeProvider.GetUtcNow().UtcDateTime);
        var (companies, ids) = SandboxDataGenerator.Generate(options, today);
        var data = new SandboxData(companies, ids, today, options.TimeProvider);
        var stats = new SandboxStats();
        var runtime = new SandboxRuntime(options, data, stats);
        var webhooks = new WebhookDispatcher(options, data, stats);
        data.Changed = webhooks.Enqueue;

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(SandboxServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ConfigurePipeline(app, runtime);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await webhooks.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new SandboxServer(app, new Uri($"http://127.0.0.1:{port}{EndpointMapper.BasePath}"), data, stats, options, webhooks);
    }

    /// <summary>
    /// Creates, changes or deletes <paramref name="count"/> records (seeded by <see cref="SandboxOptions.Seed"/>), each
    /// announced with a webhook where webhooks are set up.
    /// </summary>
    public SandboxChangeSummary ChangeRecords(int count) => _changer.Change(count);

    /// <summary>Completes when the server stops or <paramref name="cancellationToken"/> is cancelled (then it stops the server).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopChanges.CancelAsync().ConfigureAwait(false);
        await _changes.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopChanges.Dispose();
        await _webhooks.DisposeAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One change every 60/<paramref name="perMinute"/> seconds of wall time, so a demo shows events arriving.</summary>
    private async Task ChangeLoopAsync(int perMinute, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1) / perMinute);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            _changer.Change(1);
        }
    }

    private static void ConfigurePipeline(WebApplication app, SandboxRuntime runtime)
    {
        var counting = new RequestCountingMiddleware(runtime.Stats, runtime.Options.RecordAnsweredTargets);
        var errors = new ErrorMiddleware();
        var rateLimit = new RateLimitMiddleware(runtime.Options, runtime.Limiter, runtime.Stats);
        var auth = new AuthMiddleware(runtime);
        var faults = new FaultMiddleware(runtime.Options, runtime.Faults, runtime.Stats);

        app.UseRouting();
        app.Use(counting.InvokeAsync);
        app.Use(errors.InvokeAsync);
        app.Use(rateLimit.InvokeAsync);
        app.Use(auth.InvokeAsync);
        app.Use(faults.InvokeAsync);

        new AuthEndpoints(runtime).Map(app);
        new CompanyEndpoints(runtime).Map(app);
        new RecordEndpoints(runtime).Map(app);
        new VisitEndpoints(runtime).Map(app);
        new ConsumableEndpoints(runtime).Map(app);
        new ClientEndpoints(runtime).Map(app);
        new CatalogEndpoints(runtime).Map(app);
        new TransactionEndpoints(runtime).Map(app);
        new StorageEndpoints(runtime).Map(app);
        new DocumentEndpoints(runtime).Map(app);
        new LabelEndpoints(runtime).Map(app);
        new HookEndpoints(runtime).Map(app);
        app.MapFallback(context => Envelope.ErrorAsync(context, 404, NotFoundException.DefaultMessage));
    }
}
