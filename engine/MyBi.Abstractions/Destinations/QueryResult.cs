namespace MyBi.Abstractions.Destinations;

/// <summary>The rows of a read-only query, in memory (queries are capped by a row limit).</summary>
public sealed class QueryResult
{
    /// <summary>Creates a result.</summary>
    public QueryResult(IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, bool truncated = false, IReadOnlyList<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        Columns = columns;
        Rows = rows;
        Truncated = truncated;
        Warnings = warnings ?? [];
    }

    /// <summary>The column names.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows, values as the driver returned them.</summary>
    public IReadOnlyList<object?[]> Rows { get; }

    /// <summary>Whether more rows existed than the limit allowed.</summary>
    public bool Truncated { get; }

    /// <summary>One-line warnings about how the query ran (for example, with a superuser's credentials).</summary>
    public IReadOnlyList<string> Warnings { get; }
}
