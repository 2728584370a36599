using System.Threading.RateLimiting;
using MyBi.Abstractions.Connectors;

namespace MyBi.Connectors.YClients.Http;

/// <summary>
/// A request budget of the contract (<see cref="RateBudget"/>), counted as the server counts it
/// (<see cref="CompletionWindowRateBudget"/>), as the rate limiter the resilience pipeline takes. The budget may be
/// the host's, shared with other pipelines and other loads of this plugin.
/// </summary>
internal sealed class CompletionWindowRateLimiter : RateLimiter
{
    private readonly RateBudget _budget;

    public CompletionWindowRateLimiter(IReadOnlyList<(int Limit, TimeSpan Span)> windows, TimeProvider? time = null)
        : this(new CompletionWindowRateBudget([.. windows.Select(w => new RateWindow(w.Limit, w.Span))], time))
    {
    }

    public CompletionWindowRateLimiter(RateBudget budget) => _budget = budget;

    // Only the budget knows when it was last used, and nothing here evicts idle limiters.
    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics() => _budget is CompletionWindowRateBudget budget
        ? new RateLimiterStatistics { CurrentAvailablePermits = budget.AvailablePermits, TotalSuccessfulLeases = budget.TotalLeases }
        : null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Check(permitCount);
        return _budget.TryAcquire(out var lease) ? new Lease(lease) : Lease.Refused;
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Check(permitCount);
        return new Lease(await _budget.AcquireAsync(cancellationToken).ConfigureAwait(false));
    }

    private static void Check(int permitCount)
    {
        if (permitCount != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, "One permit per request.");
        }
    }

    private sealed class Lease(IDisposable? permit) : RateLimitLease
    {
        public static readonly RateLimitLease Refused = new Lease(null);

        private readonly bool _acquired = permit is not null;
        private IDisposable? _permit = permit;

        public override bool IsAcquired => _acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            Interlocked.Exchange(ref _permit, null)?.Dispose();
            base.Dispose(disposing);
        }
    }
}
