using System.Globalization;
using Jint.Runtime;

namespace MyBi.Rules.Internal;

/// <summary>
/// The rule's clock: <c>Date.now()</c> and <c>new Date()</c> show the run date at midnight UTC, so a rule gives
/// the same rows for the same input whenever it runs. Parsing and offsets work as usual, in UTC.
/// </summary>
internal sealed class FrozenTimeSystem : ITimeSystem
{
    private readonly DefaultTimeSystem _inner = new(TimeZoneInfo.Utc, CultureInfo.InvariantCulture);
    private readonly DateTimeOffset _now;

    public FrozenTimeSystem(DateOnly runDate)
    {
        _now = new DateTimeOffset(runDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    public TimeZoneInfo DefaultTimeZone => TimeZoneInfo.Utc;

    public DateTimeOffset GetUtcNow() => _now;

    public bool TryParse(string date, out long epochMilliseconds) => _inner.TryParse(date, out epochMilliseconds);

    public TimeSpan GetUtcOffset(long epochMilliseconds) => _inner.GetUtcOffset(epochMilliseconds);
}
