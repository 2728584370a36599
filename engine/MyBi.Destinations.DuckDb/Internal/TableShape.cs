namespace MyBi.Destinations.DuckDb.Internal;

/// <summary>What a warehouse table looks like: its name as stored, its column types and its primary key.</summary>
internal sealed class TableShape
{
    public TableShape(string name, Dictionary<string, string> columns, IReadOnlyList<string> primaryKey)
    {
        Name = name;
        Columns = columns;
        Order = [.. columns.Keys];
        PrimaryKey = primaryKey;
    }

    public string Name { get; }

    /// <summary>Column name (DuckDB compares identifiers case-insensitively) to DuckDB type.</summary>
    public Dictionary<string, string> Columns { get; }

    /// <summary>The column names in the table's own order, the order the Appender fills them in.</summary>
    public List<string> Order { get; }

    public IReadOnlyList<string> PrimaryKey { get; }
}
