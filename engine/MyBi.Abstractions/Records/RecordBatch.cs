namespace MyBi.Abstractions.Records;

/// <summary>
/// Rows for one table, each an array of values in <see cref="TableSchema.Columns"/> order and of the CLR type
/// that <see cref="ColumnType"/> names (or null).
/// </summary>
public sealed class RecordBatch
{
    /// <summary>Creates a batch.</summary>
    public RecordBatch(TableSchema schema, IReadOnlyList<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(rows);
        Schema = schema;
        Rows = rows;
    }

    /// <summary>The table these rows belong to.</summary>
    public TableSchema Schema { get; }

    /// <summary>The rows.</summary>
    public IReadOnlyList<object?[]> Rows { get; }

    /// <summary>How many rows the batch holds.</summary>
    public int Count => Rows.Count;
}
