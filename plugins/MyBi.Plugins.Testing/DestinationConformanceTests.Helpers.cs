using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;
using Xunit;

namespace MyBi.Plugins.Testing;

public abstract partial class DestinationConformanceTests
{
    /// <summary>A table of an Int64 key <c>id</c> and a String <c>name</c>.</summary>
    protected static TableSchema KeyValueSchema(string table) => new(
        table,
        [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("name", ColumnType.String)],
        ["id"]);

    /// <summary>A table with an Int64 key <c>id</c> and one nullable column of every other type.</summary>
    protected static TableSchema EveryTypeSchema(string table) => new(
        table,
        [
            new ColumnSchema("id", ColumnType.Int64),
            new ColumnSchema("s", ColumnType.String),
            new ColumnSchema("i", ColumnType.Int64),
            new ColumnSchema("m", ColumnType.Decimal),
            new ColumnSchema("d", ColumnType.Double),
            new ColumnSchema("b", ColumnType.Boolean),
            new ColumnSchema("t", ColumnType.Timestamp),
            new ColumnSchema("day", ColumnType.Date),
            new ColumnSchema("j", ColumnType.Json),
        ],
        ["id"]);

    /// <summary>Reads a table and orders its rows by the given columns (the primary key when none given).</summary>
    protected async Task<List<object?[]>> ReadSortedAsync(TableSchema schema, params string[] orderBy)
    {
        var keys = (orderBy.Length > 0 ? orderBy : schema.PrimaryKey).Select(schema.IndexOf).ToArray();
        var rows = new List<object?[]>();
        await foreach (var row in Destination.ReadTableAsync(schema).ConfigureAwait(false))
        {
            Assert.Equal(schema.Columns.Count, row.Length);
            rows.Add(row);
        }

        rows.Sort((a, b) =>
        {
            foreach (var k in keys)
            {
                var c = CompareValues(a[k], b[k]);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        });
        return rows;
    }

    /// <summary>Runs a query expected to return one value.</summary>
    protected async Task<object?> ScalarAsync(string sql)
    {
        var result = await Destination.QueryAsync(sql, 1).ConfigureAwait(false);
        var row = Assert.Single(result.Rows);
        return Assert.Single(row);
    }

    /// <summary>Asserts rows are equal value by value, with the CLR type the contract names for each column.</summary>
    protected static void AssertRows(TableSchema schema, IReadOnlyList<object?[]> expected, IReadOnlyList<object?[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            for (var c = 0; c < schema.Columns.Count; c++)
            {
                AssertValue(schema.Name, schema.Columns[c], r, expected[r][c], actual[r][c]);
            }
        }
    }

    /// <summary>Asserts one value read back equals the value written, as the column's type understands equality.</summary>
    protected static void AssertValue(string table, ColumnSchema column, int row, object? expected, object? actual)
    {
        var where = $"{table}.{column.Name} (row {row})";
        if (expected is null)
        {
            Assert.True(actual is null, $"{where}: expected null, got '{actual}'.");
            return;
        }

        Assert.True(actual is not null, $"{where}: expected '{expected}', got null.");
        switch (column.Type)
        {
            case ColumnType.String:
                Assert.True(actual is string s && string.Equals(s, (string)expected, StringComparison.Ordinal), $"{where}: expected '{expected}', got '{actual}'.");
                break;
            case ColumnType.Int64:
                Assert.True(actual is long l && l == (long)expected, $"{where}: expected long {expected}, got {actual.GetType().Name} {actual}.");
                break;
            case ColumnType.Decimal:
                Assert.True(actual is decimal m && m == (decimal)expected, $"{where}: expected decimal {expected}, got {actual.GetType().Name} {actual}.");
                break;
            case ColumnType.Double:
                Assert.True(actual is double d && d.Equals((double)expected), $"{where}: expected double {expected}, got {actual.GetType().Name} {actual}.");
                break;
            case ColumnType.Boolean:
                Assert.True(actual is bool b && b == (bool)expected, $"{where}: expected {expected}, got {actual.GetType().Name} {actual}.");
                break;
            case ColumnType.Timestamp:
                Assert.True(
                    actual is DateTimeOffset t && t.UtcDateTime == ((DateTimeOffset)expected).UtcDateTime,
                    $"{where}: expected the instant {(DateTimeOffset)expected:O}, got {actual.GetType().Name} {actual:O}.");
                break;
            case ColumnType.LocalDateTime:
                Assert.True(
                    actual is DateTime { Kind: DateTimeKind.Unspecified } wall && wall == (DateTime)expected,
                    $"{where}: expected the wall clock {(DateTime)expected:yyyy-MM-dd HH:mm:ss.fff} of unspecified kind, got {actual.GetType().Name} {actual:O}.");
                break;
            case ColumnType.Date:
                Assert.True(actual is DateOnly day && day == (DateOnly)expected, $"{where}: expected date {expected}, got {actual.GetType().Name} {actual}.");
                break;
            case ColumnType.Json:
                Assert.True(
                    actual is string json && JsonNode.DeepEquals(JsonNode.Parse((string)expected), JsonNode.Parse(json)),
                    $"{where}: expected JSON {expected}, got {actual}.");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type.");
        }
    }

    /// <summary>Turns a numeric query result of any driver type (decimal, long, BigInteger, string...) into a decimal.</summary>
    protected static decimal ToDecimal(object? value)
    {
        Assert.NotNull(value);
        var text = Convert.ToString(value, CultureInfo.InvariantCulture);
        return decimal.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Turns an integer query result of any driver type into a long.</summary>
    protected static long ToLong(object? value) => (long)ToDecimal(value);

    private static int CompareValues(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (string x, string y) => string.CompareOrdinal(x, y),
        (IComparable x, _) => x.CompareTo(b),
        _ => 0,
    };

    private async Task<Summary> SummarizeAsync(TableSchema schema, IReadOnlyList<object?[]> written)
    {
        var ids = new HashSet<long>();
        var rows = 0;
        var costSum = 0m;
        var mismatches = 0;
        var costIndex = schema.IndexOf("cost");
        await foreach (var row in Destination.ReadTableAsync(schema).ConfigureAwait(false))
        {
            rows++;
            var id = Assert.IsType<long>(row[0]);
            ids.Add(id);
            var cost = (decimal?)row[costIndex] ?? 0m;
            costSum += cost;
            // Ids are 1..n, so the written row of an id is at id - 1.
            if (id < 1 || id > written.Count || (decimal)written[(int)id - 1][costIndex]! != cost)
            {
                mismatches++;
            }
        }

        return new Summary(rows, ids.Count, costSum, mismatches);
    }

    private readonly record struct Summary(int Rows, int DistinctIds, decimal CostSum, int Mismatches);
}
