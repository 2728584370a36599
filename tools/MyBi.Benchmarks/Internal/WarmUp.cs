using System.Runtime;

namespace MyBi.Benchmarks.Internal;

/// <summary>
/// Runs both paths before measuring, until the runtime has stopped compiling. Hot methods are compiled to optimized
/// code in the background, some time after they have been called enough (and, with profile-guided optimization,
/// once more after an instrumented stage); a measured round that still pays for that compiles on the same two cores
/// it is timed on, so the figures would describe a process that just started rather than a server that runs.
/// </summary>
internal static class WarmUp
{
    public const long Rows = 20_000;

    public const int BatchSize = 5_000;

    private const int MinPasses = 2;
    private const int MaxPasses = 8;

    // A pass that compiles fewer new methods than this has reached the steady state closely enough.
    private const long SettledMethods = 25;

    private static readonly TimeSpan s_pause = TimeSpan.FromMilliseconds(300);

    public static async Task RunAsync(Func<Task> run, CancellationToken cancellationToken)
    {
        var compiled = JitInfo.GetCompiledMethodCount();
        for (var pass = 1; pass <= MaxPasses; pass++)
        {
            await run().ConfigureAwait(false);
            await Task.Delay(s_pause, cancellationToken).ConfigureAwait(false);
            var now = JitInfo.GetCompiledMethodCount();
            if (pass >= MinPasses && now - compiled < SettledMethods)
            {
                return;
            }

            compiled = now;
        }
    }
}
