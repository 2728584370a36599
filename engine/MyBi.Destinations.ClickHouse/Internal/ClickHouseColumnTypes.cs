using System.Globalization;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.ClickHouse.Internal;

/// <summary>How the contract's column types map to ClickHouse types, and which existing types are compatible.</summary>
internal static class ClickHouseColumnTypes
{
    /// <summary>The ClickHouse type without Nullable.</summary>
    public static string BaseType(ColumnSchema column) => column.Type switch
    {
        ColumnType.String or ColumnType.Json => "String",
        ColumnType.Int64 => "Int64",
        ColumnType.Decimal => string.Create(CultureInfo.InvariantCulture, $"Decimal({column.Precision}, {column.Scale})"),
        ColumnType.Double => "Float64",
        ColumnType.Boolean => "Bool",
        ColumnType.Timestamp => "DateTime64(3, 'UTC')",

        // ClickHouse has no zone-less date-time: a DateTime64 without a zone is read in the server's zone or the
        // query's session_timezone. A column fixed to UTC holding the clock reading is read by toHour, toDate and
        // formatDateTime in its own zone whatever the server's or the client's, so they give the local hour and day.
        ColumnType.LocalDateTime => "DateTime64(3, 'UTC')",
        ColumnType.Date => "Date32",
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
    };

    /// <summary>The ClickHouse type of the column as created: Nullable(...) unless the column is NOT NULL.</summary>
    public static string TypeOf(ColumnSchema column) => column.Nullable ? "Nullable(" + BaseType(column) + ")" : BaseType(column);

    /// <summary>
    /// Whether a column of the existing ClickHouse type <paramref name="existing"/> can hold the column's values.
    /// Nullability and LowCardinality are ignored: they change storage, not the values.
    /// </summary>
    public static bool IsCompatible(string existing, ColumnSchema column) =>
        string.Equals(Normalize(Unwrap(existing)), Normalize(BaseType(column)), StringComparison.Ordinal);

    /// <summary>The type without Nullable(...) and LowCardinality(...) wrappers.</summary>
    public static string Unwrap(string type)
    {
        var current = type.Trim();
        while (true)
        {
            var unwrapped = StripWrapper(current, "Nullable") ?? StripWrapper(current, "LowCardinality");
            if (unwrapped is null)
            {
                return current;
            }

            current = unwrapped;
        }
    }

    private static string? StripWrapper(string type, string wrapper) =>
        type.StartsWith(wrapper + "(", StringComparison.Ordinal) && type.EndsWith(')')
            ? type[(wrapper.Length + 1)..^1].Trim()
            : null;

    private static string Normalize(string type) => type.Replace(" ", "", StringComparison.Ordinal).Replace("\"", "'", StringComparison.Ordinal);
}
