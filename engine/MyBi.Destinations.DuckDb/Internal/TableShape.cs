namespace MyBi.Destinations.DuckDb.Internal;

/// <summary>What a warehouse table looks like: its name as stored, its column types and its primary key.</summary>
internal sealed class TableShape
{
    public TableShape(string name, Dictionary<string, string> columns, IReadOnlyList<string> primaryKey)
    {
        Name = name;
        Columns = columns;
        PrimaryKey = primaryKey;
    }

    public string Name { get; }

    /// <summary>Column name (DuckDB compares identifiers case-insensitively) to DuckDB type.</summary>
    public Dictionary<string, string> Columns { get; }

    public IReadOnlyList<string> PrimaryKey { get; }
}
