using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace MyBi.Connectors.YClients.Http;

/// <summary>
/// One request budget per API base URL for the whole process. YCLIENTS limits requests per client IP
/// (5/s and 200/min), so every session, stream and company reading the same API must share it.
/// </summary>
internal static class RateLimiterRegistry
{
    // Each window is split into this many segments; a permit comes back when its segment leaves the window.
    private const int Segments = 10;

    private static readonly ConcurrentDictionary<string, Lazy<RateLimiter>> s_limiters = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The shared limiter of a base URL; the budget of the first caller for a URL is kept.</summary>
    public static RateLimiter For(Uri baseUrl, double perSecond, double perMinute)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var key = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return s_limiters.GetOrAdd(key, _ => new Lazy<RateLimiter>(() => Create(perSecond, perMinute))).Value;
    }

    /// <summary>
    /// Builds a limiter that never lets more than the budget through in ANY rolling window (what a server
    /// counting exactly would see): a segmented sliding window releases a permit up to one segment early, so
    /// the window is stretched by one segment.
    /// </summary>
    internal static RateLimiter Create(double perSecond, double perMinute) =>
        RateLimiter.CreateChained(Window(perSecond, TimeSpan.FromSeconds(1)), Window(perMinute, TimeSpan.FromMinutes(1)));

    private static SlidingWindowRateLimiter Window(double budget, TimeSpan window)
    {
        // A budget below one per window becomes one permit per longer window (0.5/s = 1 per 2 s).
        var permits = Math.Max(1, (int)Math.Floor(budget));
        var span = TimeSpan.FromTicks((long)(window.Ticks * (permits / budget)));
        var stretched = span + (span / (Segments - 1)) + TimeSpan.FromMilliseconds(20);
        return new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = stretched,
            SegmentsPerWindow = Segments,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }
}
