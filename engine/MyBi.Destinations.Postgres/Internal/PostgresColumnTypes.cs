using System.Globalization;
using MyBi.Abstractions.Records;
using NpgsqlTypes;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>How each logical column type is stored in PostgreSQL and sent over binary COPY.</summary>
internal static class PostgresColumnTypes
{
    public static string SqlType(ColumnSchema column) => column.Type switch
    {
        ColumnType.String => "text",
        ColumnType.Int64 => "bigint",
        ColumnType.Decimal => string.Create(CultureInfo.InvariantCulture, $"numeric({column.Precision},{column.Scale})"),
        ColumnType.Double => "double precision",
        ColumnType.Boolean => "boolean",
        ColumnType.Timestamp => "timestamp with time zone",
        ColumnType.LocalDateTime => "timestamp without time zone",
        ColumnType.Date => "date",
        ColumnType.Json => column.Verbatim ? "json" : "jsonb",
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
    };

    /// <summary>The type a value of the column is sent as, over binary COPY or as a parameter.</summary>
    public static NpgsqlDbType DbType(ColumnSchema column) =>
        column.Verbatim ? NpgsqlDbType.Json : DbType(column.Type);

    public static NpgsqlDbType DbType(ColumnType type) => type switch
    {
        ColumnType.String => NpgsqlDbType.Text,
        ColumnType.Int64 => NpgsqlDbType.Bigint,
        ColumnType.Decimal => NpgsqlDbType.Numeric,
        ColumnType.Double => NpgsqlDbType.Double,
        ColumnType.Boolean => NpgsqlDbType.Boolean,
        ColumnType.Timestamp => NpgsqlDbType.TimestampTz,
        ColumnType.LocalDateTime => NpgsqlDbType.Timestamp,
        ColumnType.Date => NpgsqlDbType.Date,
        ColumnType.Json => NpgsqlDbType.Jsonb,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    /// <summary>The CLR type the contract prescribes for values of a column type, for messages.</summary>
    public static string ClrName(ColumnType type) => type switch
    {
        ColumnType.String or ColumnType.Json => "string",
        ColumnType.Int64 => "long",
        ColumnType.Decimal => "decimal",
        ColumnType.Double => "double",
        ColumnType.Boolean => "bool",
        ColumnType.Timestamp => "DateTimeOffset",
        ColumnType.LocalDateTime => "DateTime",
        ColumnType.Date => "DateOnly",
        _ => type.ToString(),
    };

    /// <summary>
    /// How an existing column that an earlier version created with another type is converted in place, keeping each
    /// value: the <c>USING</c> expression over the quoted column, or null when it is no such column. A wall clock was
    /// timestamptz holding the clock reading at UTC+00:00; a verbatim JSON column was jsonb (the text jsonb gives back
    /// is valid json; the original spacing and key order were gone already).
    /// </summary>
    public static string? EarlierConversion(string dataType, ColumnSchema column, string quoted) => column.Type switch
    {
        ColumnType.LocalDateTime when dataType is "timestamp with time zone" => quoted + " AT TIME ZONE 'UTC'",
        ColumnType.Json when column.Verbatim && dataType is "jsonb" => quoted + "::json",
        _ => null,
    };

    /// <summary>
    /// The expression that compares a column's values in SQL: json has no equality operator, so a verbatim column
    /// is compared as its text (which is what it keeps).
    /// </summary>
    public static string Compared(ColumnSchema column, string qualified) =>
        column.Verbatim ? qualified + "::text" : qualified;

    /// <summary>
    /// Whether an existing column (its information_schema <c>data_type</c>) can take the values of a column
    /// through binary COPY without changing their meaning. Binary COPY sends each column in its own wire format,
    /// so only types with the same format qualify (text, varchar and char share one; json and jsonb do not).
    /// </summary>
    public static bool Accepts(string dataType, ColumnSchema column) => column.Type switch
    {
        ColumnType.String => dataType is "text" or "character varying" or "character",
        ColumnType.Int64 => dataType is "bigint",
        ColumnType.Decimal => dataType is "numeric",
        ColumnType.Double => dataType is "double precision",
        ColumnType.Boolean => dataType is "boolean",
        ColumnType.Timestamp => dataType is "timestamp with time zone",
        ColumnType.LocalDateTime => dataType is "timestamp without time zone",
        ColumnType.Date => dataType is "date",
        ColumnType.Json => column.Verbatim ? dataType is "json" : dataType is "jsonb",
        _ => false,
    };
}
