using System.Diagnostics;
using System.Net;

namespace MyBi.Benchmarks.Internal;

/// <summary>
/// The load generator every target gets: a fixed number of HTTP clients on loopback, each posting the next body as
/// soon as its previous one was answered, timing each request from send to answer.
/// </summary>
internal sealed class HookLoad : IDisposable
{
    private readonly HttpClient _http;
    private readonly int _concurrency;

    public HookLoad(int concurrency)
    {
        _concurrency = concurrency;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
    }

    public async Task<HookLoadResult> RunAsync(Uri url, IReadOnlyList<byte[]> bodies, CancellationToken cancellationToken)
    {
        var latencies = new long[bodies.Count];
        var next = -1;
        var accepted = 0;
        var refused = 0;
        var started = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var paused = GC.GetTotalPauseDuration();
        var workers = Enumerable.Range(0, _concurrency).Select(_ => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < bodies.Count)
                {
                    using var content = new ByteArrayContent(bodies[i]);
                    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    var sent = Stopwatch.GetTimestamp();
                    using var response = await _http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
                    latencies[i] = Stopwatch.GetTimestamp() - sent;
                    Interlocked.Increment(ref response.StatusCode == HttpStatusCode.OK ? ref accepted : ref refused);
                }
            },
            cancellationToken)).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        paused = GC.GetTotalPauseDuration() - paused;
        Array.Sort(latencies);
        var events = Math.Max(1, bodies.Count);
        return new HookLoadResult(accepted, refused, elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99), cpu / events, allocated / events, paused);
    }

    public void Dispose() => _http.Dispose();

    private static TimeSpan Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)]);
}

/// <summary>
/// One target's round: answers 200 and others, the wall time, the latency percentiles, and the process's CPU time and
/// managed allocation per event and its garbage-collection pauses while the round ran (load generator and server
/// together, as they share the process).
/// </summary>
internal sealed record HookLoadResult(int Accepted, int Refused, TimeSpan Elapsed, TimeSpan P50, TimeSpan P99, TimeSpan CpuPerEvent, long BytesPerEvent, TimeSpan GcPauses)
{
    public double PerSecond => Accepted / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
