namespace MyBi.Rules;

/// <summary>
/// The finite limits a rule runs under. The four constructor limits have no defaults and no "unlimited" value;
/// <see cref="Default"/> is a safe set to start from.
/// </summary>
public sealed class SandboxLimits
{
    /// <summary>Creates limits; every value must be positive and finite.</summary>
    /// <param name="timeout">Wall-clock time for one batch of input rows (and for the rule's top level).</param>
    /// <param name="maxStatements">JavaScript statements for one batch; below <see cref="int.MaxValue"/>.</param>
    /// <param name="maxMemoryBytes">Bytes a rule may allocate while handling one input row.</param>
    /// <param name="maxRecursionDepth">Nested JavaScript calls.</param>
    public SandboxLimits(TimeSpan timeout, long maxStatements, long maxMemoryBytes, int maxRecursionDepth)
    {
        Timeout = timeout;
        MaxStatements = maxStatements;
        MaxMemoryBytes = maxMemoryBytes;
        MaxRecursionDepth = maxRecursionDepth;
        Validate();
    }

    /// <summary>2 s and 1,000,000 statements per batch, 64 MB per input row, recursion 200, and the guard defaults.</summary>
    public static SandboxLimits Default { get; } = new(TimeSpan.FromSeconds(2), 1_000_000, 64L * 1024 * 1024, 200);

    /// <summary>Wall-clock time for one batch.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Statements for one batch.</summary>
    public long MaxStatements { get; }

    /// <summary>Bytes allocated while handling one input row.</summary>
    public long MaxMemoryBytes { get; }

    /// <summary>Nested JavaScript calls.</summary>
    public int MaxRecursionDepth { get; }

    /// <summary>Input rows one <see cref="RuleRunner.Run"/> call accepts; callers split larger batches. Default 10,000.</summary>
    public int MaxInputRows { get; init; } = 10_000;

    /// <summary>Rows one input row may emit, over all tables. Default 1,000.</summary>
    public int MaxRowsPerInputRow { get; init; } = 1_000;

    /// <summary>
    /// Tables one rule may declare. Every table is created and written on each run, so a rule declaring thousands
    /// would make every run slow. Default 50.
    /// </summary>
    public int MaxTables { get; init; } = 50;

    /// <summary>
    /// Characters of one string: input values, emitted values, JSON text, and results of the string builders
    /// that could otherwise allocate gigabytes in one call (repeat, padStart, padEnd, concat, join, replace,
    /// JSON.stringify). Default 1,000,000.
    /// </summary>
    public int MaxStringLength { get; init; } = 1_000_000;

    /// <summary>
    /// Elements of one JavaScript array (Jint's MaxArraySize, rounded up to a power of two because Jint checks the
    /// capacity it grows arrays to). Default 100,000.
    /// </summary>
    public int MaxArrayLength { get; init; } = 100_000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first limit that is not positive and finite.</summary>
    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero || Timeout == TimeSpan.MaxValue || Timeout == System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw Invalid(nameof(Timeout), Timeout, "a positive, finite time such as 2 s");
        }

        // Jint counts statements in an Int32.
        Require(nameof(MaxStatements), MaxStatements, int.MaxValue - 1L);
        Require(nameof(MaxMemoryBytes), MaxMemoryBytes, long.MaxValue - 1);
        Require(nameof(MaxRecursionDepth), MaxRecursionDepth, int.MaxValue - 1L);
        Require(nameof(MaxInputRows), MaxInputRows, int.MaxValue - 1L);
        Require(nameof(MaxRowsPerInputRow), MaxRowsPerInputRow, int.MaxValue - 1L);
        Require(nameof(MaxTables), MaxTables, 10_000);
        Require(nameof(MaxStringLength), MaxStringLength, int.MaxValue - 1L);
        Require(nameof(MaxArrayLength), MaxArrayLength, 1L << 30);
    }

    private static void Require(string name, long value, long max)
    {
        if (value <= 0 || value > max)
        {
            throw Invalid(name, value, $"a positive number up to {max:N0}");
        }
    }

    private static ArgumentOutOfRangeException Invalid(string name, object value, string expected) =>
        new(name, value, $"Sandbox limit {name} is {value}; it must be {expected} (rules never run unlimited).");
}
