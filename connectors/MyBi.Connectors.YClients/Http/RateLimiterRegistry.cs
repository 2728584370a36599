using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using MyBi.Abstractions.Connectors;

namespace MyBi.Connectors.YClients.Http;

/// <summary>
/// The request budget of an API base URL and configured budget. YCLIENTS limits requests per client IP (5/s and
/// 200/min), so every session, stream and company reading the same API must share it: the host's budgets
/// (<see cref="SourceContext.RateBudgets"/>) are shared across pipelines and plugin loads; without them, this
/// plugin load keeps its own. The budget is part of the key: a later session that asks for a stricter budget than
/// an earlier one must get it, not inherit a looser limiter that happens to sit under the same address.
/// </summary>
internal static class RateLimiterRegistry
{
    // Clocks of two machines drift apart a little within a window; a few milliseconds cover it.
    private static readonly TimeSpan s_margin = TimeSpan.FromMilliseconds(10);

    private static readonly RateBudgets s_own = new();

    private static readonly ConditionalWeakTable<RateBudget, RateLimiter> s_limiters = [];

    /// <summary>The limiter shared by every caller of a base URL with the same budget, from <paramref name="budgets"/> when the host gives them.</summary>
    public static RateLimiter For(Uri baseUrl, double perSecond, double perMinute, RateBudgets? budgets = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        // The server counts per client IP, not per token: every account of one API shares the address's budget,
        // so the partner token is deliberately not part of the key.
        var account = RateBudgets.AccountKey("yclients", baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/').ToUpperInvariant());
        var budget = (budgets ?? s_own).GetOrCreate(account, Windows(perSecond, perMinute));
        return s_limiters.GetValue(budget, static b => new CompletionWindowRateLimiter(b));
    }

    /// <summary>A limiter of at most <paramref name="perSecond"/> requests in any second and <paramref name="perMinute"/> in any minute.</summary>
    internal static CompletionWindowRateLimiter Create(double perSecond, double perMinute, TimeProvider time) =>
        new(new CompletionWindowRateBudget(Windows(perSecond, perMinute), time));

    private static RateWindow[] Windows(double perSecond, double perMinute) =>
        [Window(perSecond, TimeSpan.FromSeconds(1)), Window(perMinute, TimeSpan.FromMinutes(1))];

    private static RateWindow Window(double budget, TimeSpan window)
    {
        // A budget below one per window becomes one request per longer window (0.5/s = 1 per 2 s).
        var permits = Math.Max(1, (int)Math.Floor(budget));
        var span = TimeSpan.FromTicks((long)(window.Ticks * (permits / budget)));
        return new RateWindow(permits, span + s_margin);
    }
}
