using Microsoft.Extensions.Time.Testing;

namespace MyBi.Engine.Tests.Running;

/// <summary>
/// The pinned clock of a test whose waits (retry back-off) end at once: time stands still, so nothing the test
/// checks depends on how long a wait took.
/// </summary>
internal sealed class InstantDelays(FakeTimeProvider clock) : TimeProvider
{
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long GetTimestamp() => clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        TimeProvider.System.CreateTimer(callback, state, dueTime == Timeout.InfiniteTimeSpan ? dueTime : TimeSpan.Zero, period);
}
