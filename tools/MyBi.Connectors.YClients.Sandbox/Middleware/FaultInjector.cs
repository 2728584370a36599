namespace MyBi.Connectors.YClients.Sandbox.Middleware;

/// <summary>Chooses which authorized requests are slowed or failed. The n-th request's fate depends only on the
/// seed and n, so the share of faults follows the configured rate by count, not by time.</summary>
internal sealed class FaultInjector(int seed, double faultRate, double slowRate)
{
    private long _sequence;

    public (bool Slow, bool Fault) Next()
    {
        if (faultRate <= 0 && slowRate <= 0)
        {
            return (false, false);
        }

        var n = (ulong)Interlocked.Increment(ref _sequence);
        return (Uniform(n, 0x5EED51A7UL) < slowRate, Uniform(n, 0xFA017UL) < faultRate);
    }

    private double Uniform(ulong n, ulong salt)
    {
        // SplitMix64 finaliser over (seed, n, salt): a well-mixed, reproducible stream.
        var z = unchecked(((ulong)(uint)seed << 32) ^ (n * 0x9E3779B97F4A7C15UL) ^ salt);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
