using System.Globalization;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;

namespace MyBi.Engine.Reconciliation;

/// <summary>
/// What the source holds for a period, kept small: per table, company and local day, each row's key and its measures
/// only. The whole row is not kept; a reload reads the differing days again.
/// </summary>
internal sealed class SourceDigest
{
    private readonly Dictionary<string, TableDigest> _tables = new(StringComparer.Ordinal);
    private readonly long _maxRows;

    public SourceDigest(IEnumerable<TableSchema> tables, long maxRows)
    {
        foreach (var table in tables)
        {
            _tables[table.Name] = new TableDigest(table);
        }

        _maxRows = maxRows;
    }

    /// <summary>Rows held.</summary>
    public long Rows { get; private set; }

    public TableDigest this[string table] => _tables[table];

    public IEnumerable<TableDigest> Tables => _tables.Values;

    /// <summary>Adds a normalized row; false when its company or day is missing (such a row belongs to no day).</summary>
    public bool Add(string table, object?[] row)
    {
        if (!_tables.TryGetValue(table, out var digest) || !digest.Add(row))
        {
            return false;
        }

        if (++Rows > _maxRows)
        {
            throw MyBiException.Config(string.Create(
                CultureInfo.InvariantCulture,
                $"The period holds more than {_maxRows} source rows to compare; reconcile a shorter period with --from and --to."));
        }

        return true;
    }
}

/// <summary>One table's rows of the period by company and day: key to measures.</summary>
internal sealed class TableDigest
{
    private readonly int _company;
    private readonly int _day;
    private readonly int[] _keys;
    private readonly int[] _measures;

    public TableDigest(TableSchema table)
    {
        Table = table;
        _company = Required(table, ReconcileJob.CompanyColumn);
        _day = Required(table, ReconcileJob.DayColumn);
        _keys = table.PrimaryKey.Select(table.IndexOf).ToArray();
        if (_keys.Length == 0)
        {
            throw MyBiException.Config($"Table '{table.Name}' has no primary key; reconcile names rows by their key.");
        }

        MeasureNames = ReconcileJob.Measures.Where(m => table.IndexOf(m) >= 0).ToList();
        _measures = MeasureNames.Select(table.IndexOf).ToArray();
    }

    public TableSchema Table { get; }

    /// <summary>The measures this table has, in the order of <see cref="ReconcileJob.Measures"/>.</summary>
    public IReadOnlyList<string> MeasureNames { get; }

    public Dictionary<(long Company, DateOnly Day), Dictionary<string, object?[]>> Days { get; } = [];

    /// <summary>The companies with rows.</summary>
    public IEnumerable<long> Companies => Days.Keys.Select(k => k.Company).Distinct();

    public bool Add(object?[] row)
    {
        if (Where(row) is not { } at)
        {
            return false;
        }

        if (!Days.TryGetValue(at, out var rows))
        {
            rows = new Dictionary<string, object?[]>(StringComparer.Ordinal);
            Days[at] = rows;
        }

        rows[Key(row)] = Measures(row);
        return true;
    }

    /// <summary>The row's company and local day, or null when either is missing.</summary>
    public (long Company, DateOnly Day)? Where(object?[] row) =>
        row[_company] is long company && row[_day] is DateOnly day ? (company, day) : null;

    /// <summary>The row's key as "column=value, ...".</summary>
    public string Key(object?[] row) =>
        string.Join(", ", _keys.Select(i => Table.Columns[i].Name + "=" + Convert.ToString(row[i], CultureInfo.InvariantCulture)));

    public object?[] Measures(object?[] row) => _measures.Select(i => row[i]).ToArray();

    /// <summary>Sets the row's deleted flag, for a row the source no longer has; false when the table has none.</summary>
    public bool MarkDeleted(object?[] row)
    {
        var index = Table.IndexOf("deleted");
        if (index < 0)
        {
            return false;
        }

        row[index] = true;
        return true;
    }

    /// <summary>Whether the row is marked deleted.</summary>
    public bool IsDeleted(object?[] row) => Table.IndexOf("deleted") is var index and >= 0 && row[index] is true;

    private static int Required(TableSchema table, string column)
    {
        var index = table.IndexOf(column);
        return index >= 0
            ? index
            : throw MyBiException.Config($"Table '{table.Name}' has no column '{column}'; reconcile compares tables by company and local day.");
    }
}
