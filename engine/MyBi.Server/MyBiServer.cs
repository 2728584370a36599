using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MyBi.Abstractions.Errors;
using MyBi.Hosting;
using MyBi.Server.Status;
using MyBi.Server.Webhooks;

namespace MyBi.Server;

/// <summary>
/// The process behind <c>mybi serve</c>: one Kestrel web app composed here, with each feature mapping its routes and
/// running its background work. Today the feature is the webhook receiver of every pipeline given.
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

    /// <summary>Checks every pipeline (connector with webhooks, secret), then listens.</summary>
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

        foreach (var pipeline in pipelines.Where(p => !p.Connector.SupportsWebhooks))
        {
            throw MyBiException.Config($"Connector '{pipeline.ConnectorId}' of pipeline '{pipeline.Definition.Name}' receives no webhooks.");
        }

        var receivers = pipelines.Select(p => new WebhookPipeline(p, HookSecrets.Require(p, environment), options.TimeProvider, options.Log)).ToList();
        IReadOnlyList<IServerFeature> features = [new WebhookEndpoint(receivers, options.TimeProvider), new StatusFeature(pipelines, receivers, null, options.TimeProvider)];

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
