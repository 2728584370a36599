using Microsoft.Extensions.Hosting;

namespace MyBi.Server;

/// <summary>
/// The web host's lifetime when <see cref="MyBiServer"/> is embedded in a process that handles the stop signals
/// itself: the host starts and stops when told to, and never listens to SIGTERM, SIGINT or SIGQUIT.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
