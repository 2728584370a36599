namespace MyBi.Destinations.ClickHouse.Internal;

/// <summary>
/// Hands out row versions for ReplacingMergeTree: ranges that only grow, taken from the clock (UTC ticks) so that
/// a later run's rows outrank an earlier run's, and a batch's later rows outrank its earlier ones.
/// </summary>
internal sealed class VersionClock
{
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private long _next;

    public VersionClock(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
    }

    /// <summary>Reserves <paramref name="count"/> consecutive versions and returns the first.</summary>
    public ulong Reserve(int count)
    {
        lock (_lock)
        {
            var first = Math.Max(_timeProvider.GetUtcNow().UtcTicks, _next);
            _next = first + count;
            return (ulong)first;
        }
    }
}
