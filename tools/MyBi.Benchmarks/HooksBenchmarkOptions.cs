namespace MyBi.Benchmarks;

/// <summary>What <see cref="HooksBenchmark.RunAsync"/> sends: how many events, how many clients at once, and where.</summary>
public sealed class HooksBenchmarkOptions
{
    /// <summary>Events sent to each target per round (after a warm-up that is not counted).</summary>
    public int Events { get; init; } = 10_000;

    /// <summary>HTTP clients sending at once (one connection each, on loopback).</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Measured rounds; the targets take turns in each round and the median round per target is reported.</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>The PostgreSQL target's connection string; null leaves PostgreSQL out.</summary>
    public string? PostgresConnection { get; init; }

    /// <summary>The engine's clock (received_at of the events).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider);
        Require(Events is >= 100 and <= 10_000_000, nameof(Events), "must be between 100 and 10000000", Events);
        Require(Concurrency is >= 1 and <= 4096, nameof(Concurrency), "must be between 1 and 4096", Concurrency);
        Require(Rounds is >= 1 and <= 15, nameof(Rounds), "must be between 1 and 15", Rounds);
    }

    private static void Require(bool condition, string name, string rule, object value)
    {
        if (!condition)
        {
            throw new ArgumentException($"Hooks benchmark option {name} {rule} (got {value}).", name);
        }
    }
}
