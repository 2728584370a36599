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
    private long _directBatches;
    private long _batches;

    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>
    /// Creating the staging table and the binary COPY into it (for direct batches, the COPY into the table).
    /// </summary>
    public TimeSpan Copy => TimeSpan.FromSeconds(Interlocked.Read(ref _copyTicks) / (double)Stopwatch.Frequency);

    /// <summary>The INSERT … ON CONFLICT from staging into the target and the commit (for direct batches, the commit).</summary>
    public TimeSpan Merge => TimeSpan.FromSeconds(Interlocked.Read(ref _mergeTicks) / (double)Stopwatch.Frequency);

    /// <summary>Batches written so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Batches copied straight into their table (appends, and merges of keys all new).</summary>
    public long DirectBatches => Interlocked.Read(ref _directBatches);

    public void Add(long rows, long copyTicks, long mergeTicks, bool direct)
    {
        Interlocked.Increment(ref _batches);
        if (direct)
        {
            Interlocked.Increment(ref _directBatches);
        }

        Interlocked.Add(ref _rows, rows);
        Interlocked.Add(ref _copyTicks, copyTicks);
        Interlocked.Add(ref _mergeTicks, mergeTicks);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _rows, 0);
        Interlocked.Exchange(ref _copyTicks, 0);
        Interlocked.Exchange(ref _mergeTicks, 0);
        Interlocked.Exchange(ref _batches, 0);
        Interlocked.Exchange(ref _directBatches, 0);
    }
}
