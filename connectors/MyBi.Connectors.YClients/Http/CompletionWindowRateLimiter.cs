using System.Threading.RateLimiting;

namespace MyBi.Connectors.YClients.Http;

/// <summary>
/// A request budget counted the way the server counts it. A permit is held while its request is in flight and
/// is stamped when the request completes (the lease is disposed); a new request starts only when, in every
/// window, in-flight requests plus requests completed within the window stay under the limit. Because a
/// request reaches the server before it completes, no window of the server's clock can ever see more requests
/// than the limit, however long a request took to leave this process (JIT, connecting, a busy thread pool).
/// </summary>
internal sealed class CompletionWindowRateLimiter : RateLimiter
{
    private readonly (int Limit, TimeSpan Span)[] _windows;
    private readonly Queue<DateTimeOffset>[] _completed;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly object _gate = new();
    private TaskCompletionSource _released = NewSignal();
    private int _inFlight;
    private long _successfulLeases;
    private DateTimeOffset? _idleSince;

    public CompletionWindowRateLimiter(IReadOnlyList<(int Limit, TimeSpan Span)> windows, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0 || windows.Any(w => w.Limit < 1 || w.Span <= TimeSpan.Zero))
        {
            throw new ArgumentException("Every window needs a limit of at least 1 and a positive span.", nameof(windows));
        }

        _windows = [.. windows];
        _completed = [.. windows.Select(_ => new Queue<DateTimeOffset>())];
        _time = time ?? TimeProvider.System;
        _idleSince = _time.GetUtcNow();
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                return _idleSince is { } since ? _time.GetUtcNow() - since : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Prune(now);
            var available = _windows.Select((w, i) => w.Limit - _inFlight - _completed[i].Count).Min();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = Math.Max(0, available),
                CurrentQueuedCount = _turn.CurrentCount == 0 ? 1 : 0,
                TotalSuccessfulLeases = _successfulLeases,
                TotalFailedLeases = 0,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Check(permitCount);
        lock (_gate)
        {
            return TryTake(_time.GetUtcNow(), out _) ? new Lease(this) : Lease.Refused;
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Check(permitCount);
        // One waiter at a time, in arrival order; the others queue on the turn.
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                TimeSpan? wait;
                Task released;
                lock (_gate)
                {
                    if (TryTake(_time.GetUtcNow(), out wait))
                    {
                        return new Lease(this);
                    }

                    released = _released.Task;
                }

                // Wait for a window to move on, or for an in-flight request to complete.
                using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = wait is { } span ? Task.Delay(span, _time, cancel.Token) : Task.Delay(Timeout.Infinite, cancel.Token);
                await Task.WhenAny(delay, released).ConfigureAwait(false);
                await cancel.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _turn.Dispose();
        }

        base.Dispose(disposing);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Check(int permitCount)
    {
        if (permitCount != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, "One permit per request.");
        }
    }

    /// <summary>Takes a permit if every window has room; otherwise says how long until the fullest frees one (null: only when a request completes).</summary>
    private bool TryTake(DateTimeOffset now, out TimeSpan? wait)
    {
        Prune(now);
        wait = TimeSpan.Zero;
        var blocked = false;
        for (var i = 0; i < _windows.Length; i++)
        {
            var (limit, span) = _windows[i];
            var excess = _inFlight + _completed[i].Count - limit + 1;
            if (excess <= 0)
            {
                continue;
            }

            blocked = true;
            if (excess > _completed[i].Count)
            {
                // In-flight requests alone fill this window; only a completion can help.
                wait = null;
                continue;
            }

            var frees = _completed[i].ElementAt(excess - 1) + span - now;
            if (wait is { } current && frees > current)
            {
                wait = frees;
            }
        }

        if (blocked)
        {
            return false;
        }

        _inFlight++;
        _successfulLeases++;
        _idleSince = null;
        return true;
    }

    private void Prune(DateTimeOffset now)
    {
        for (var i = 0; i < _windows.Length; i++)
        {
            var queue = _completed[i];
            while (queue.Count > 0 && queue.Peek() + _windows[i].Span <= now)
            {
                queue.Dequeue();
            }
        }
    }

    private void Complete()
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            _inFlight--;
            foreach (var queue in _completed)
            {
                queue.Enqueue(now);
            }

            if (_inFlight == 0)
            {
                _idleSince = now;
            }

            released = _released;
            _released = NewSignal();
        }

        released.TrySetResult();
    }

    private sealed class Lease(CompletionWindowRateLimiter? owner) : RateLimitLease
    {
        public static readonly RateLimitLease Refused = new Lease(null);

        private readonly bool _acquired = owner is not null;
        private CompletionWindowRateLimiter? _owner = owner;

        public override bool IsAcquired => _acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            Interlocked.Exchange(ref _owner, null)?.Complete();
            base.Dispose(disposing);
        }
    }
}
