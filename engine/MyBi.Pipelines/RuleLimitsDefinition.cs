namespace MyBi.Pipelines;

/// <summary>The optional <c>rules</c> block: limits of the JavaScript sandbox. Unset values keep the engine's defaults.</summary>
public sealed class RuleLimitsDefinition
{
    internal RuleLimitsDefinition(TimeSpan? timeout, long? maxStatements, long? maxMemoryBytes, int? maxRecursion, int? maxTables)
    {
        MaxTables = maxTables;
        Timeout = timeout;
        MaxStatements = maxStatements;
        MaxMemoryBytes = maxMemoryBytes;
        MaxRecursion = maxRecursion;
    }

    /// <summary>Time one rule execution may take (<c>timeout_ms</c>).</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Statements one execution may run.</summary>
    public long? MaxStatements { get; }

    /// <summary>Memory one execution may allocate, in bytes (<c>max_memory_mb</c> × 1 MiB).</summary>
    public long? MaxMemoryBytes { get; }

    /// <summary>Tables one rule may declare (<c>max_tables</c>).</summary>
    public int? MaxTables { get; }

    /// <summary>The deepest recursion a rule may reach.</summary>
    public int? MaxRecursion { get; }
}
