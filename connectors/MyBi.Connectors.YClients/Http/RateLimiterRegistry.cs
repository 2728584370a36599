using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;

namespace MyBi.Connectors.YClients.Http;

/// <summary>
/// One request budget per API base URL and configured budget for the whole process. YCLIENTS limits requests per
/// client IP (5/s and 200/min), so every session, stream and company reading the same API must share it. The budget
/// is part of the key: a later session that asks for a stricter budget than an earlier one must get it, not inherit
/// a looser limiter that happens to sit under the same address.
/// </summary>
internal static class RateLimiterRegistry
{
    // Clocks of two machines drift apart a little within a window; a few milliseconds cover it.
    private static readonly TimeSpan s_margin = TimeSpan.FromMilliseconds(10);

    private static readonly ConcurrentDictionary<string, Lazy<RateLimiter>> s_limiters = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The limiter shared by every caller of a base URL with the same budget.</summary>
    public static RateLimiter For(Uri baseUrl, double perSecond, double perMinute)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var key = string.Create(CultureInfo.InvariantCulture, $"{baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')} {perSecond}/s {perMinute}/min");
        return s_limiters.GetOrAdd(key, _ => new Lazy<RateLimiter>(() => Create(perSecond, perMinute, TimeProvider.System))).Value;
    }

    /// <summary>A limiter of at most <paramref name="perSecond"/> requests in any second and <paramref name="perMinute"/> in any minute.</summary>
    internal static CompletionWindowRateLimiter Create(double perSecond, double perMinute, TimeProvider time) =>
        new([Window(perSecond, TimeSpan.FromSeconds(1)), Window(perMinute, TimeSpan.FromMinutes(1))], time);

    private static (int Limit, TimeSpan Span) Window(double budget, TimeSpan window)
    {
        // A budget below one per window becomes one request per longer window (0.5/s = 1 per 2 s).
        var permits = Math.Max(1, (int)Math.Floor(budget));
        var span = TimeSpan.FromTicks((long)(window.Ticks * (permits / budget)));
        return (permits, span + s_margin);
    }
}
