using System.Diagnostics;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// Where merge time goes: the COPY into staging versus the upsert into the target (plus commit). Read by the load
/// benchmark; cheap enough to keep always on.
/// </summary>
internal sealed class PostgresWriteTimings
{
    private long _rows;
    private long _copyTicks;
    private long _mergeTicks;

    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Creating the staging table and the binary COPY into it.</summary>
    public TimeSpan Copy => TimeSpan.FromSeconds(Interlocked.Read(ref _copyTicks) / (double)Stopwatch.Frequency);

    /// <summary>The INSERT … ON CONFLICT from staging into the target and the commit.</summary>
    public TimeSpan Merge => TimeSpan.FromSeconds(Interlocked.Read(ref _mergeTicks) / (double)Stopwatch.Frequency);

    public void Add(long rows, long copyTicks, long mergeTicks)
    {
        Interlocked.Add(ref _rows, rows);
        Interlocked.Add(ref _copyTicks, copyTicks);
        Interlocked.Add(ref _mergeTicks, mergeTicks);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _rows, 0);
        Interlocked.Exchange(ref _copyTicks, 0);
        Interlocked.Exchange(ref _mergeTicks, 0);
    }
}
