using System.Diagnostics;
using System.Globalization;
using MyBi.Abstractions.Errors;

namespace MyBi.Hosting;

/// <summary>
/// The one clock of an engine process: the system clock, or, when <c>MYBI_NOW</c> holds an ISO 8601 instant, a
/// clock that starts at that instant and runs at real speed. Pinning it makes "today", first-run periods, plan
/// months and run stamps reproducible (tests, demos, replays) while rate limits and timeouts keep real time.
/// </summary>
public static class EngineClock
{
    /// <summary>The environment variable that pins the clock.</summary>
    public const string Variable = "MYBI_NOW";

    /// <summary>Set once at start by <see cref="Start"/>; every command reads the time from here.</summary>
    public static TimeProvider Current { get; private set; } = TimeProvider.System;

    /// <summary>Chooses the process clock from <c>MYBI_NOW</c>; a malformed value is a configuration error.</summary>
    public static void Start(string? pinned) => Current = Create(pinned);

    /// <summary>The system clock, or one running from the instant <paramref name="pinned"/> names.</summary>
    public static TimeProvider Create(string? pinned)
    {
        if (string.IsNullOrWhiteSpace(pinned))
        {
            return TimeProvider.System;
        }

        // An instant needs its offset: a bare local time would mean different days on different machines.
        var formats = new[] { "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK" };
        if (!DateTimeOffset.TryParseExact(pinned.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !HasOffset(pinned.Trim()))
        {
            throw MyBiException.Config($"{Variable} must be an ISO 8601 instant with an offset, such as 2026-11-16T09:30:00Z (got '{Shorten(pinned)}').");
        }

        return new RunningFrom(start.ToUniversalTime());
    }

    private static bool HasOffset(string value) =>
        value.EndsWith('Z') || value.EndsWith('z') || (value.Length > 6 && value[^6] is '+' or '-' && value[^3] == ':');

    private static string Shorten(string value)
    {
        var printable = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return printable.Length <= 40 ? printable : printable[..40] + "...";
    }

    private sealed class RunningFrom(DateTimeOffset start) : TimeProvider
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => start + Stopwatch.GetElapsedTime(_started);
    }
}
