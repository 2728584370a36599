using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MyBi.Abstractions.Connectors;

/// <summary>
/// The request budgets of one process, one per source account and budget. The host keeps one instance for the
/// whole process and gives it to every session (<see cref="SourceContext.RateBudgets"/>), so that two pipelines
/// reading one account, even through two loads of the same plugin, spend one budget instead of one each.
/// </summary>
/// <remarks>
/// The windows are part of the key: a session asking for a stricter budget gets it rather than a looser limiter
/// left under the same account by another session. Pipelines on one account that state the same budget share it.
/// </remarks>
public sealed class RateBudgets
{
    private readonly ConcurrentDictionary<string, Lazy<RateBudget>> _budgets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates an empty set of budgets.</summary>
    /// <param name="time">
    /// The clock of the windows; real time by default, also when a run's calendar clock is a fake one, because the
    /// server counts in real time.
    /// </param>
    public RateBudgets(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>The budget of <paramref name="accountKey"/> with these windows, created on first use.</summary>
    /// <param name="accountKey">Who the server counts requests for; build it with <see cref="AccountKey"/> so that no secret is kept in clear.</param>
    /// <param name="windows">Every window the requests must stay within (e.g. 5 per second and 200 per minute).</param>
    public RateBudget GetOrCreate(string accountKey, IReadOnlyList<RateWindow> windows)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountKey);
        ArgumentNullException.ThrowIfNull(windows);
        var key = new StringBuilder(accountKey);
        foreach (var window in windows)
        {
            key.Append(CultureInfo.InvariantCulture, $" {window.Limit}/{window.Span.Ticks}");
        }

        return _budgets.GetOrAdd(key.ToString(), _ => new Lazy<RateBudget>(() => new CompletionWindowRateBudget(windows, _time))).Value;
    }

    /// <summary>
    /// A key for an account made of its parts (base URL, token, ...): a SHA-256 hash, so that a secret among the
    /// parts is never kept or shown in clear.
    /// </summary>
    public static string AccountKey(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var joined = string.Join('\n', parts);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)));
    }
}
