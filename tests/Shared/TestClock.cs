using System.Globalization;

namespace MyBi.Testing;

/// <summary>
/// The one clock of the test suites. Tests never read the machine's date: generated data, the engine's "today" and
/// every expectation derive from <see cref="Now"/>, a fixed instant that <c>MYBI_TEST_NOW</c> (ISO 8601) moves, so
/// the suite can be proven on any date without waiting for it.
/// </summary>
internal static class TestClock
{
    public const string Variable = "MYBI_TEST_NOW";

    /// <summary>A Monday morning in UTC, when every company of the sandbox already has today's date.</summary>
    public static readonly DateTimeOffset Default = new(2026, 11, 16, 9, 30, 0, TimeSpan.Zero);

    private static readonly Lazy<DateTimeOffset> s_now = new(() => Parse(Environment.GetEnvironmentVariable(Variable)));
    private static readonly Lazy<TimeProvider> s_running = new(() => new RunningFrom(Now));

    /// <summary>The pinned instant, in UTC.</summary>
    public static DateTimeOffset Now => s_now.Value;

    /// <summary>The UTC date of <see cref="Now"/>: the sandbox's <c>Today</c>.</summary>
    public static DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>
    /// A clock that starts at <see cref="Now"/> when the suite first asks for it and then runs at real speed, shared by
    /// every sandbox and every engine process of the run. Rate limits, timers and change stamps need time to move;
    /// the date stays the pinned one for hours.
    /// </summary>
    public static TimeProvider Running => s_running.Value;

    /// <summary>The date a company at <paramref name="utcOffset"/> has at <see cref="Now"/>.</summary>
    public static DateOnly TodayAt(TimeSpan utcOffset) => DateOnly.FromDateTime(Now.ToOffset(utcOffset).DateTime);

    /// <summary>The UTC month of <see cref="Now"/> as the engine prints it (yyyy-MM).</summary>
    public static string Month => Now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The value for the engine's <c>MYBI_NOW</c>: the running clock's current instant, so a child process
    /// continues the same timeline.</summary>
    public static string EngineNow => Running.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Default;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.FromTimeSpan(Default.TimeOfDay)), TimeSpan.Zero);
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant.ToUniversalTime();
        }

        throw new InvalidOperationException($"{Variable} must be an ISO 8601 date or instant such as 2026-11-16T09:30:00Z (got '{value}').");
    }

    /// <summary>
    /// The system clock moved by a constant offset: differences between two readings are exactly the system
    /// clock's, so a sandbox on this clock and a client limiter on the system clock agree on every window.
    /// </summary>
    private sealed class RunningFrom(DateTimeOffset start) : TimeProvider
    {
        private readonly TimeSpan _offset = start - TimeProvider.System.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + _offset;
    }
}
