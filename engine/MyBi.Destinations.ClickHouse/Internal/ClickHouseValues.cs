using System.Globalization;
using ClickHouse.Driver.Numerics;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.ClickHouse.Internal;

/// <summary>Converts values between the contract's CLR types and what the driver reads and writes.</summary>
internal static class ClickHouseValues
{
    /// <summary>
    /// Whether <see cref="ToDriver"/> may change a value of the column: the contract's other types are what the
    /// driver writes already.
    /// </summary>
    public static bool NeedsConversion(ColumnSchema column) => column.Type is ColumnType.Timestamp or ColumnType.LocalDateTime or ColumnType.Boolean or ColumnType.Date;

    /// <summary>A value for the driver's RowBinary writer.</summary>
    public static object? ToDriver(object? value, ColumnSchema column) => value switch
    {
        null => null,
        DateTimeOffset stamp when column.Type == ColumnType.LocalDateTime => DateTime.SpecifyKind(stamp.DateTime, DateTimeKind.Utc),
        DateTimeOffset instant => instant.UtcDateTime,

        // A wall clock is kept as that reading in the UTC column (see ClickHouseColumnTypes).
        DateTime wall when column.Type == ColumnType.LocalDateTime => DateTime.SpecifyKind(wall, DateTimeKind.Utc),
        DateOnly day when column.Type == ColumnType.LocalDateTime => DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc),
        _ when column.Type == ColumnType.Boolean && value is not bool => Convert.ToBoolean(value, CultureInfo.InvariantCulture),
        _ => value,
    };

    /// <summary>A value read by the driver, as the contract's CLR type of the column.</summary>
    public static object? FromDriver(object? value, ColumnSchema column)
    {
        if (value is null or DBNull)
        {
            return null;
        }

        return column.Type switch
        {
            ColumnType.String or ColumnType.Json => value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture),
            ColumnType.Int64 => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ColumnType.Decimal => ToDecimal(value),
            ColumnType.Double => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            ColumnType.Boolean => Convert.ToBoolean(value, CultureInfo.InvariantCulture),
            ColumnType.Timestamp => ToInstant(value),
            ColumnType.LocalDateTime => DateTime.SpecifyKind(ToInstant(value).UtcDateTime, DateTimeKind.Unspecified),
            ColumnType.Date => value switch
            {
                DateOnly day => day,
                DateTime dateTime => DateOnly.FromDateTime(dateTime),
                DateTimeOffset instant => DateOnly.FromDateTime(instant.UtcDateTime),
                _ => DateOnly.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
            },
            _ => value,
        };
    }

    /// <summary>A value of a free query, with driver-specific types turned into plain CLR ones.</summary>
    public static object? FromQuery(object? value) => value switch
    {
        null or DBNull => null,
        ClickHouseDecimal custom => ToDecimal(custom),
        _ => value,
    };

    private static decimal ToDecimal(object value) => value switch
    {
        decimal d => d,
        ClickHouseDecimal custom => decimal.Parse(custom.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
    };

    private static DateTimeOffset ToInstant(object value) => value switch
    {
        DateTimeOffset instant => instant.ToUniversalTime(),
        DateTime { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime(), TimeSpan.Zero),
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc), TimeSpan.Zero),
        _ => DateTimeOffset.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
    };
}
