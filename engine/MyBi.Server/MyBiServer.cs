using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MyBi.Abstractions.Errors;
using MyBi.Hosting;
using MyBi.Server.Status;
using MyBi.Server.Webhooks;

namespace MyBi.Server;

/// <summary>
/// The process behind <c>mybi serve</c>: one Kestrel web app composed here, with each feature mapping its routes and
/// running its background work. The features: the webhook receiver of every pipeline that has webhooks, and the scheduler of
/// every pipeline that has a schedule.
/// </summary>
public sealed class MyBiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<IServerFeature> _features;
    private int _disposed;

    private MyBiServer(WebApplication app, IReadOnlyList<IServerFeature> features, Uri address)
    {
        _app = app;
        _features = features;
        Address = address;
    }

    /// <summary>Where the server listens, with the port it got.</summary>
    public Uri Address { get; }

    /// <summary>Checks every pipeline (webhooks or a schedule to serve), starts the features, then listens.</summary>
    public static async Task<MyBiServer> StartAsync(IReadOnlyList<LoadedPipeline> pipelines, Func<string, string?> environment, ServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipelines);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        if (pipelines.Count == 0)
        {
            throw MyBiException.Config("Give one or more pipeline files to serve.");
        }

        var duplicate = pipelines.GroupBy(p => p.Definition.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw MyBiException.Config($"Two pipeline files are named '{duplicate.Key}'; each URL needs its own name.");
        }

        // A pipeline with a schedule is served for its schedule alone when it has no webhooks (connector or secret).
        var receivers = new List<WebhookPipeline>();
        foreach (var pipeline in pipelines)
        {
            var scheduled = pipeline.Definition.Schedule is { Jobs.Count: > 0 };
            if (!pipeline.Connector.SupportsWebhooks && !scheduled)
            {
                throw MyBiException.Config($"Connector '{pipeline.ConnectorId}' of pipeline '{pipeline.Definition.Name}' receives no webhooks, and the pipeline has no schedule: nothing to serve.");
            }

            if (!pipeline.Connector.SupportsWebhooks)
            {
                continue;
            }

            if ((scheduled ? HookSecrets.Find(pipeline, environment) : HookSecrets.Require(pipeline, environment)) is { } secret)
            {
                receivers.Add(new WebhookPipeline(pipeline, secret, options.TimeProvider, options.Log));
            }
            else
            {
                options.Log($"{pipeline.Definition.Name}: webhooks off (no secret yet; 'mybi hooks url' creates one); its schedule runs.");
            }
        }

        var scheduler = Scheduling.SchedulerFeature.For(pipelines, options);
        var features = new List<IServerFeature> { new WebhookEndpoint(receivers, options.TimeProvider), new StatusFeature(pipelines, receivers, scheduler, options.TimeProvider) };
        if (scheduler is not null)
        {
            features.Add(scheduler);
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(MyBiServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Listen);
            kestrel.AddServerHeader = false;

            // The endpoint counts the body itself, so chunked bodies are held to the same limit.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
            kestrel.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(240, TimeSpan.FromSeconds(5));
        });
        builder.Services.AddRoutingCore();

        // The process that embeds the server owns SIGTERM and SIGINT: it stops the server after the work in hand, and
        // a second signal ends it at once. The host's console lifetime must not take the signals as well.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        StatusFeature.AddServices(builder.Services);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseRouting();
        foreach (var feature in features)
        {
            feature.Map(app);
        }

        try
        {
            foreach (var feature in features)
            {
                await feature.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach (var feature in features)
            {
                await feature.StopAsync().ConfigureAwait(false);
            }

            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MyBiServer(app, features, new Uri(address));
    }

    /// <summary>Stops taking requests, lets those in flight finish, then stops the features.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync().ConfigureAwait(false);
        foreach (var feature in _features)
        {
            await feature.StopAsync().ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
