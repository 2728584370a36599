using Microsoft.AspNetCore.Builder;

namespace MyBi.Server;

/// <summary>One thing the server process does (receiving webhooks; later schedules, a status page): its routes and its background work.</summary>
internal interface IServerFeature
{
    void Map(WebApplication app);

    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Runs after the web app stopped taking requests, so work the requests handed over can finish.</summary>
    Task StopAsync();
}
