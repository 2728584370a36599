using System.Collections.Concurrent;

namespace MyBi.Connectors.YClients.Sandbox.Middleware;

/// <summary>Per-client sliding windows of one second and one minute over admitted requests.
/// Rejected requests do not count, so a client that backs off recovers.</summary>
internal sealed class SlidingWindowLimiter(int perSecond, int perMinute, TimeProvider timeProvider)
{
    private static readonly TimeSpan s_second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_minute = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _clients = new(StringComparer.Ordinal);

    /// <summary>Admits the request, or returns false with the time until it would be admitted.</summary>
    public bool TryAdmit(string clientKey, out TimeSpan retryAfter)
    {
        var window = _clients.GetOrAdd(clientKey, _ => new Queue<DateTimeOffset>());
        lock (window)
        {
            var now = timeProvider.GetUtcNow();
            while (window.Count > 0 && window.Peek() <= now - s_minute)
            {
                window.Dequeue();
            }

            if (window.Count >= perMinute)
            {
                retryAfter = window.ElementAt(window.Count - perMinute) + s_minute - now;
                return false;
            }

            var inLastSecond = window.Count(t => t > now - s_second);
            if (inLastSecond >= perSecond)
            {
                retryAfter = window.Where(t => t > now - s_second).ElementAt(inLastSecond - perSecond) + s_second - now;
                return false;
            }

            window.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }
}
