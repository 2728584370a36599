namespace MyBi.Abstractions.Records;

/// <summary>The shape of a destination table: its columns in order and its primary key.</summary>
public sealed class TableSchema
{
    private readonly Dictionary<string, int> _ordinals;

    /// <summary>Creates a table schema; the primary key columns must be among the columns, and none of them verbatim JSON.</summary>
    public TableSchema(string name, IReadOnlyList<ColumnSchema> columns, IReadOnlyList<string> primaryKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(primaryKey);
        if (columns.Count == 0)
        {
            throw new ArgumentException($"Table '{name}' has no columns.", nameof(columns));
        }

        _ordinals = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            if (!_ordinals.TryAdd(columns[i].Name, i))
            {
                throw new ArgumentException($"Table '{name}' has the column '{columns[i].Name}' twice.", nameof(columns));
            }
        }

        foreach (var key in primaryKey)
        {
            if (!_ordinals.ContainsKey(key))
            {
                throw new ArgumentException($"Primary key column '{key}' is not a column of table '{name}'.", nameof(primaryKey));
            }

            if (columns[_ordinals[key]].Verbatim)
            {
                throw new ArgumentException($"Primary key column '{key}' of table '{name}' is verbatim JSON, which cannot be compared.", nameof(primaryKey));
            }
        }

        Name = name;
        PrimaryKey = primaryKey;
        Columns = columns.Select(c => primaryKey.Contains(c.Name, StringComparer.Ordinal) ? c with { Nullable = false } : c).ToArray();
    }

    /// <summary>The table name.</summary>
    public string Name { get; }

    /// <summary>The columns, in the order values appear in a row.</summary>
    public IReadOnlyList<ColumnSchema> Columns { get; }

    /// <summary>The primary key column names; empty for an append-only table.</summary>
    public IReadOnlyList<string> PrimaryKey { get; }

    /// <summary>What the table holds, for documentation.</summary>
    public string? Description { get; init; }

    /// <summary>The position of a column in a row, or -1.</summary>
    public int IndexOf(string columnName) => _ordinals.TryGetValue(columnName, out var i) ? i : -1;

    /// <summary>Returns a copy of this schema under another name (for staging tables and the like).</summary>
    public TableSchema WithName(string name) => new(name, Columns, PrimaryKey) { Description = Description };
}
