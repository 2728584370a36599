using System.Globalization;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.DuckDb.Internal;

/// <summary>Identifier quoting and the mapping of logical column types to DuckDB types.</summary>
internal static class DuckDbSql
{
    /// <summary>DuckDB's widest decimal.</summary>
    private const int MaxDecimalPrecision = 38;

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Operator(ConditionOperator op) => op switch
    {
        ConditionOperator.Equal => "=",
        ConditionOperator.NotEqual => "<>",
        ConditionOperator.GreaterOrEqual => ">=",
        ConditionOperator.LessOrEqual => "<=",
        ConditionOperator.Less => "<",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary>A string literal (COMMENT takes no parameters).</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string QuoteList(IEnumerable<string> identifiers) => string.Join(", ", identifiers.Select(Quote));

    /// <summary>The type used in DDL for a column.</summary>
    public static string TypeOf(string table, ColumnSchema column) => column.Type switch
    {
        ColumnType.String => "VARCHAR",
        ColumnType.Int64 => "BIGINT",
        ColumnType.Decimal => DecimalType(table, column),
        ColumnType.Double => "DOUBLE",
        ColumnType.Boolean => "BOOLEAN",
        ColumnType.Timestamp => "TIMESTAMPTZ",
        ColumnType.LocalDateTime => "TIMESTAMP",
        ColumnType.Date => "DATE",
        ColumnType.Json => "JSON",
        _ => throw MyBiException.System($"Table '{table}' column '{column.Name}' has the unknown type {column.Type}."),
    };

    /// <summary>
    /// Whether values of <paramref name="column"/> fit a warehouse column of the DuckDB type
    /// <paramref name="existing"/> (as <c>duckdb_columns()</c> spells it) without losing anything.
    /// </summary>
    public static bool Fits(string existing, ColumnSchema column) => column.Type switch
    {
        ColumnType.String => existing == "VARCHAR",
        ColumnType.Json => existing is "JSON" or "VARCHAR",
        ColumnType.Int64 => existing == "BIGINT",
        ColumnType.Decimal => TryParseDecimal(existing, out var precision, out var scale)
            && scale >= column.Scale
            && precision - scale >= column.Precision - column.Scale,
        ColumnType.Double => existing == "DOUBLE",
        ColumnType.Boolean => existing == "BOOLEAN",
        ColumnType.Timestamp => existing is "TIMESTAMP WITH TIME ZONE" or "TIMESTAMPTZ",
        ColumnType.LocalDateTime => existing == "TIMESTAMP",
        ColumnType.Date => existing == "DATE",
        _ => false,
    };

    /// <summary>
    /// Whether a warehouse column of <paramref name="existing"/> is what an earlier version created for a wall-clock
    /// column: TIMESTAMPTZ holding the clock reading at UTC+00:00, which is converted in place to TIMESTAMP.
    /// </summary>
    public static bool IsEarlierWallClock(string existing, ColumnSchema column) =>
        column.Type == ColumnType.LocalDateTime && existing is "TIMESTAMP WITH TIME ZONE" or "TIMESTAMPTZ";

    private static string DecimalType(string table, ColumnSchema column)
    {
        if (column.Precision is < 1 or > MaxDecimalPrecision || column.Scale < 0 || column.Scale > column.Precision)
        {
            throw MyBiException.System(
                $"Table '{table}' column '{column.Name}' declares DECIMAL({column.Precision},{column.Scale}); DuckDB needs 1 <= precision <= 38 and 0 <= scale <= precision.");
        }

        return string.Create(CultureInfo.InvariantCulture, $"DECIMAL({column.Precision},{column.Scale})");
    }

    private static bool TryParseDecimal(string type, out int precision, out int scale)
    {
        precision = scale = 0;
        if (!type.StartsWith("DECIMAL(", StringComparison.Ordinal) || !type.EndsWith(')'))
        {
            return false;
        }

        var parts = type["DECIMAL(".Length..^1].Split(',');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out precision)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out scale);
    }
}
