namespace MyBi.Benchmarks;

/// <summary>What <see cref="LoadBenchmark.RunAsync"/> loads, where, and in which batches.</summary>
public sealed class LoadBenchmarkOptions
{
    /// <summary>The default of <see cref="BatchSize"/>: on PostgreSQL 15 as fast as 100,000 rows with less memory (see the README).</summary>
    public const int DefaultBatchSize = 50_000;

    /// <summary>The default of <see cref="Schema"/>.</summary>
    public const string DefaultSchema = "mybi_bench";

    /// <summary>Where the rows go.</summary>
    /// <value>Defaults to <see cref="BenchmarkDestination.Postgres"/>.</value>
    public BenchmarkDestination Destination { get; init; } = BenchmarkDestination.Postgres;

    /// <summary>How many rows each of the two paths loads.</summary>
    public required long Rows { get; init; }

    /// <summary>Rows per engine batch (one <c>WriteAsync</c> call each).</summary>
    /// <value>Defaults to <see cref="DefaultBatchSize"/>.</value>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>
    /// The driver connection string. When null: <c>MYBI_TEST_POSTGRES</c> / <c>MYBI_TEST_CLICKHOUSE</c> from the
    /// environment, else the local test server (<c>.ci/postgres.sh</c>: 127.0.0.1:55432; ClickHouse: 127.0.0.1:8123).
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>The PostgreSQL schema or ClickHouse database the benchmark tables live in; they are dropped afterwards.</summary>
    /// <value>Defaults to <see cref="DefaultSchema"/>.</value>
    public string Schema { get; init; } = DefaultSchema;

    /// <summary>Whether to keep the benchmark tables for inspection instead of dropping them.</summary>
    public bool KeepTables { get; init; }

    /// <summary>Seed of the generated rows; the same seed gives the same rows.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Rows < 1)
        {
            throw new ArgumentException($"The benchmark needs at least one row, not {Rows}.", nameof(Rows));
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"The batch size must be at least one row, not {BatchSize}.", nameof(BatchSize));
        }

        if (string.IsNullOrWhiteSpace(Schema))
        {
            throw new ArgumentException("The benchmark schema name is empty.", nameof(Schema));
        }

        if (!Enum.IsDefined(Destination))
        {
            throw new ArgumentException($"Unknown benchmark destination {Destination}.", nameof(Destination));
        }
    }

    internal string ResolveConnectionString() => ConnectionString
        ?? Destination switch
        {
            BenchmarkDestination.ClickHouse => Environment.GetEnvironmentVariable("MYBI_TEST_CLICKHOUSE") ?? "Host=127.0.0.1;Port=8123",
            _ => Environment.GetEnvironmentVariable("MYBI_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres",
        };
}
