using System.Globalization;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using Npgsql;
using static MyBi.Destinations.Postgres.Internal.PostgresSqlNames;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>Deletes the rows matching AND-combined conditions: columns quoted, values sent as typed parameters.</summary>
internal static class PostgresRowDeleter
{
    public static async Task<long> DeleteAsync(
        NpgsqlDataSource dataSource,
        string schema,
        TableSchema table,
        IReadOnlyList<RowCondition> conditions,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        var where = new List<string>(conditions.Count);
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            var ordinal = table.IndexOf(condition.Column);
            if (ordinal < 0)
            {
                throw MyBiException.System($"Table {schema}.{table.Name} has no column '{condition.Column}' to delete by.");
            }

            var column = table.Columns[ordinal];
            where.Add($"{Quote(column.Name)} {Operator(condition.Operator)} @p{i}");
            command.Parameters.Add(new NpgsqlParameter($"p{i}", PostgresColumnTypes.DbType(column.Type)) { Value = ToParameter(condition.Value, column) });
        }

        command.CommandText = $"DELETE FROM {Qualified(schema, table.Name)}" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Nothing was ever written to the table, so there is nothing to delete.
            return 0;
        }
    }

    private static string Operator(ConditionOperator op) => op switch
    {
        ConditionOperator.Equal => "=",
        ConditionOperator.NotEqual => "<>",
        ConditionOperator.GreaterOrEqual => ">=",
        ConditionOperator.LessOrEqual => "<=",
        ConditionOperator.Less => "<",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown condition operator."),
    };

    private static object ToParameter(object value, ColumnSchema column) => (column.Type, value) switch
    {
        (ColumnType.Timestamp, DateTimeOffset instant) => instant.ToUniversalTime(),
        (ColumnType.Timestamp, DateTime { Kind: DateTimeKind.Utc } instant) => instant,
        (ColumnType.Date, DateTime day) => DateOnly.FromDateTime(day),
        (ColumnType.Int64, IConvertible number) when value is not string => Convert.ToInt64(number, CultureInfo.InvariantCulture),
        (ColumnType.Decimal, IConvertible number) when value is not string => Convert.ToDecimal(number, CultureInfo.InvariantCulture),
        (ColumnType.Double, IConvertible number) when value is not string => Convert.ToDouble(number, CultureInfo.InvariantCulture),
        (ColumnType.String or ColumnType.Json, string) or (ColumnType.Int64, long) or (ColumnType.Boolean, bool) or (ColumnType.Date, DateOnly) => value,
        _ => throw MyBiException.System(
            $"A delete condition on column '{column.Name}' ({column.Type}) has a {value.GetType().Name} value, expected {PostgresColumnTypes.ClrName(column.Type)}."),
    };
}
