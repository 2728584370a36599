namespace MyBi.Benchmarks.Internal;

/// <summary>
/// Runs both paths on a few batches before measuring. The runtime compiles hot methods to optimized code in the
/// background, a little after they have been called enough; the pauses let that finish, or else the first
/// measured batch (of whichever path runs first) would pay for it.
/// </summary>
internal static class WarmUp
{
    public const long Rows = 20_000;

    public const int BatchSize = 5_000;

    private static readonly TimeSpan s_pause = TimeSpan.FromMilliseconds(300);

    public static async Task RunAsync(Func<Task> run, CancellationToken cancellationToken)
    {
        for (var round = 0; round < 2; round++)
        {
            await run().ConfigureAwait(false);
            await Task.Delay(s_pause, cancellationToken).ConfigureAwait(false);
        }
    }
}
