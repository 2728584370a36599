using System.Diagnostics.CodeAnalysis;

namespace MyBi.Abstractions.Connectors;

/// <summary>
/// A request budget counted the way the server counts it. A lease is held while its request is in flight and is
/// stamped when the request completes (the lease is disposed); a new request starts only when, in every window,
/// in-flight requests plus requests completed within the window stay under the limit. Because a request reaches
/// the server before it completes, no window of the server's clock can ever see more requests than the limit,
/// however long a request took to leave this process (JIT, connecting, a busy thread pool).
/// </summary>
public sealed class CompletionWindowRateBudget : RateBudget
{
    private readonly RateWindow[] _windows;
    private readonly Queue<DateTimeOffset>[] _completed;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _gate = new();
    private TaskCompletionSource _released = NewSignal();
    private int _inFlight;
    private long _leases;

    /// <summary>A budget of every one of <paramref name="windows"/>.</summary>
    /// <exception cref="ArgumentException">No window, or a window with a limit below 1 or a span that is not positive.</exception>
    public CompletionWindowRateBudget(IReadOnlyList<RateWindow> windows, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0 || windows.Any(w => w.Limit < 1 || w.Span <= TimeSpan.Zero))
        {
            throw new ArgumentException("Every window needs a limit of at least 1 and a positive span.", nameof(windows));
        }

        _windows = [.. windows];
        _completed = [.. windows.Select(_ => new Queue<DateTimeOffset>())];
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Requests that could start now.</summary>
    public int AvailablePermits
    {
        get
        {
            lock (_gate)
            {
                Prune(_time.GetUtcNow());
                return Math.Max(0, _windows.Select((w, i) => w.Limit - _inFlight - _completed[i].Count).Min());
            }
        }
    }

    /// <summary>Leases handed out so far.</summary>
    public long TotalLeases => Interlocked.Read(ref _leases);

    /// <inheritdoc/>
    public override bool TryAcquire([NotNullWhen(true)] out IDisposable? lease)
    {
        lock (_gate)
        {
            lease = TryTake(_time.GetUtcNow(), out _) ? new Lease(this) : null;
            return lease is not null;
        }
    }

    /// <inheritdoc/>
    public override async ValueTask<IDisposable> AcquireAsync(CancellationToken cancellationToken = default)
    {
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

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Takes a lease if every window has room; otherwise says how long until the fullest frees one (null: only when a request completes).</summary>
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
        Interlocked.Increment(ref _leases);
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

            released = _released;
            _released = NewSignal();
        }

        released.TrySetResult();
    }

    private sealed class Lease(CompletionWindowRateBudget owner) : IDisposable
    {
        private CompletionWindowRateBudget? _owner = owner;

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Complete();
    }
}
