namespace MyBi.Benchmarks.Internal;

/// <summary>
/// Samples the managed heap while a run goes on: the peak, and the median of the second half (what the heap settles
/// at once buffers are full). Without full collections a sample counts garbage the collector has not reclaimed yet
/// (a server GC with a large budget may leave older generations uncollected for a whole run), so it follows the
/// collector's policy as much as the engine; with them (<see cref="Live"/>) each sample is what is still
/// referenced, which should not grow with the number of rows. Those collections stop the process, so a run sampled
/// that way is not timed.
/// </summary>
internal sealed class MemorySampler
{
    private readonly bool _liveOnly;
    private readonly TimeSpan _interval;
    private readonly List<long> _samples = [];
    private CancellationTokenSource? _stop;
    private Task? _loop;

    private MemorySampler(bool liveOnly, TimeSpan interval)
    {
        _liveOnly = liveOnly;
        _interval = interval;
    }

    public long BaselineBytes { get; private set; }

    public long PeakBytes { get; private set; }

    public long SteadyBytes { get; private set; }

    /// <summary>Samples every 20 ms without collecting: cheap enough to run beside a timed run.</summary>
    public static MemorySampler Heap() => new(liveOnly: false, TimeSpan.FromMilliseconds(20));

    /// <summary>Samples every 250 ms after a full collection: the live heap, for an untimed run.</summary>
    public static MemorySampler Live() => new(liveOnly: true, TimeSpan.FromMilliseconds(250));

    public void Start()
    {
        // Settled by a full collection already: the baseline is live bytes in both modes.
        BenchmarkGc.Settle();
        BaselineBytes = GC.GetTotalMemory(forceFullCollection: false);
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _loop = Task.Run(
            async () =>
            {
                using var timer = new PeriodicTimer(_interval);
                try
                {
                    while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
                    {
                        Sample();
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // Stopped: the run is over.
                }
            },
            CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_stop is null || _loop is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        Sample();
        lock (_samples)
        {
            PeakBytes = _samples.Max();
            var secondHalf = _samples.Skip(_samples.Count / 2).Order().ToList();
            SteadyBytes = secondHalf[secondHalf.Count / 2];
        }
    }

    private void Sample()
    {
        var bytes = GC.GetTotalMemory(forceFullCollection: _liveOnly);
        lock (_samples)
        {
            _samples.Add(bytes);
        }
    }
}
