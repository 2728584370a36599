using MyBi.Abstractions.Records;
using Npgsql;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>Reads a row back in the contract's CLR types (timestamps as UTC <see cref="DateTimeOffset"/>).</summary>
internal static class PostgresValueReader
{
    public static object?[] ReadRow(NpgsqlDataReader reader, IReadOnlyList<ColumnSchema> columns)
    {
        var row = new object?[columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = reader.IsDBNull(i) ? null : columns[i].Type switch
            {
                ColumnType.String or ColumnType.Json => reader.GetString(i),
                ColumnType.Int64 => reader.GetInt64(i),
                ColumnType.Decimal => reader.GetDecimal(i),
                ColumnType.Double => reader.GetDouble(i),
                ColumnType.Boolean => reader.GetBoolean(i),
                ColumnType.Timestamp => reader.GetFieldValue<DateTimeOffset>(i),
                ColumnType.LocalDateTime => DateTime.SpecifyKind(reader.GetDateTime(i), DateTimeKind.Unspecified),
                ColumnType.Date => reader.GetFieldValue<DateOnly>(i),
                _ => throw new ArgumentOutOfRangeException(nameof(columns), columns[i].Type, "Unknown column type."),
            };
        }

        return row;
    }
}
