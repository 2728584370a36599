namespace MyBi.Abstractions.Destinations;

/// <summary>
/// Receives the rows of a query as the destination reads them (<see cref="Destination.QueryStreamAsync"/>), so a
/// result of any size passes through without being held in memory.
/// </summary>
public abstract class QueryRowSink
{
    /// <summary>The column names, once, before the first row.</summary>
    public abstract void OnColumns(IReadOnlyList<string> columns);

    /// <summary>One row, values as the driver returned them; the array is the sink's to keep.</summary>
    public abstract void OnRow(object?[] row);
}

/// <summary>Keeps the rows it receives, up to a limit: what <see cref="Destination.QueryAsync"/> returns.</summary>
public sealed class QueryRowCollector : QueryRowSink
{
    private readonly int _maxRows;
    private readonly List<object?[]> _rows = [];
    private IReadOnlyList<string> _columns = [];

    /// <summary>Creates a collector of at most <paramref name="maxRows"/> rows.</summary>
    public QueryRowCollector(int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        _maxRows = maxRows;
    }

    /// <summary>Whether the collector holds its limit of rows: one more means the result is truncated.</summary>
    public bool IsFull => _rows.Count >= _maxRows;

    /// <inheritdoc />
    public override void OnColumns(IReadOnlyList<string> columns) => _columns = columns;

    /// <inheritdoc />
    public override void OnRow(object?[] row) => _rows.Add(row);

    /// <summary>The collected rows as a result.</summary>
    public QueryResult ToResult(bool truncated, IReadOnlyList<string>? warnings = null) => new(_columns, _rows, truncated, warnings);
}
