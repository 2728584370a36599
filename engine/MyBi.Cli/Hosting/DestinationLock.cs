using MyBi.Abstractions.Destinations;
using MyBi.Destinations.DuckDb;

namespace MyBi.Cli.Hosting;

/// <summary>
/// Waiting for a DuckDB file another process holds. DuckDB allows one process per file while it writes, so a BI tool
/// or a second run blocks a sync; that is a matter of time, not of configuration. Once the check succeeds the
/// destination keeps its connection, and with it the file, for the run.
/// </summary>
internal static class DestinationLock
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(250);

    public static async Task WaitAsync(Destination destination, TimeSpan wait, TextWriter messages, CancellationToken cancellationToken)
    {
        // The wait is real time even when the engine's clock is pinned: the other process lets go in real time.
        var started = TimeProvider.System.GetTimestamp();
        var said = false;
        while (true)
        {
            try
            {
                await destination.CheckAsync(cancellationToken).ConfigureAwait(false);
                if (said)
                {
                    await messages.WriteLineAsync("the DuckDB file is free now; loading.").ConfigureAwait(false);
                }

                return;
            }
            catch (DuckDbFileLockedException ex) when (TimeProvider.System.GetElapsedTime(started) < wait)
            {
                if (!said)
                {
                    said = true;
                    var who = ex.Holder is null ? "another process" : ex.Holder;
                    await messages.WriteLineAsync($"waiting up to {wait.TotalSeconds:0} s for the DuckDB file '{ex.File}', held by {who} (DuckDB allows one process per file while it writes)...").ConfigureAwait(false);
                }

                await Task.Delay(s_poll, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
