namespace MyBi.Benchmarks.Internal;

/// <summary>
/// Samples the managed heap every few milliseconds while a run goes on: the peak, and the median of the second
/// half (what the heap settles at once buffers are full), which should not grow with the number of rows.
/// </summary>
internal sealed class MemorySampler
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(20);
    private readonly List<long> _samples = [];
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public long BaselineBytes { get; private set; }

    public long PeakBytes { get; private set; }

    public long SteadyBytes { get; private set; }

    public void Start()
    {
        BenchmarkGc.Settle();
        BaselineBytes = GC.GetTotalMemory(forceFullCollection: false);
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _loop = Task.Run(
            async () =>
            {
                using var timer = new PeriodicTimer(s_interval);
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
        var bytes = GC.GetTotalMemory(forceFullCollection: false);
        lock (_samples)
        {
            _samples.Add(bytes);
        }
    }
}
