namespace MyBi.Benchmarks;

/// <summary>The destination a load benchmark writes to.</summary>
public enum BenchmarkDestination
{
    /// <summary>PostgreSQL: the engine's merge path against raw binary COPY.</summary>
    Postgres,

    /// <summary>ClickHouse: the engine's merge path against raw <c>InsertBinaryAsync</c>.</summary>
    ClickHouse,
}
