using DuckDB.NET.Data;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.DuckDb.Internal;

/// <summary>Reads DuckDB values back as the CLR types the contract names for each column type.</summary>
internal static class DuckDbValues
{
    public static object? Read(DuckDBDataReader reader, int ordinal, ColumnType type)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        return type switch
        {
            ColumnType.String or ColumnType.Json => reader.GetString(ordinal),
            ColumnType.Int64 => reader.GetInt64(ordinal),
            ColumnType.Decimal => reader.GetDecimal(ordinal),
            ColumnType.Double => reader.GetDouble(ordinal),
            ColumnType.Boolean => reader.GetBoolean(ordinal),
            ColumnType.Timestamp => reader.GetFieldValue<DateTimeOffset>(ordinal),
            ColumnType.LocalDateTime => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Unspecified),
            ColumnType.Date => reader.GetFieldValue<DateOnly>(ordinal),
            _ => reader.GetValue(ordinal),
        };
    }

    /// <summary>A condition value in a form the driver binds: dates and instants as UTC date-times.</summary>
    public static object ToParameter(object value) => value switch
    {
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        DateTimeOffset t => t.UtcDateTime,
        _ => value,
    };

    /// <summary>A query value as the driver gives it, except that SQL NULL is null and instants carry their offset.</summary>
    public static object? ReadAny(DuckDBDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        // TIMESTAMPTZ arrives as a DateTime of unspecified kind that in fact holds UTC.
        return reader.GetDataTypeName(ordinal) == "TimestampTz"
            ? reader.GetFieldValue<DateTimeOffset>(ordinal)
            : reader.GetValue(ordinal);
    }
}
