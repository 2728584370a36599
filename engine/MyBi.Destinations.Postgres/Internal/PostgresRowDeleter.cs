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
    public static Task<long> DeleteAsync(
        NpgsqlDataSource dataSource,
        string schema,
        TableSchema table,
        IReadOnlyList<RowCondition> conditions,
        CancellationToken cancellationToken) =>
        RunWhereAsync(dataSource, schema, table, conditions, "DELETE FROM", scalar: false, cancellationToken);

    /// <summary>Counts the rows matching the conditions; 0 when the table was never created.</summary>
    public static Task<long> CountAsync(
        NpgsqlDataSource dataSource,
        string schema,
        TableSchema table,
        IReadOnlyList<RowCondition> conditions,
        CancellationToken cancellationToken) =>
        RunWhereAsync(dataSource, schema, table, conditions, "SELECT count(*) FROM", scalar: true, cancellationToken);

    /// <summary>
    /// Deletes at most <paramref name="maxRows"/> rows dated before the cutoff in one statement of its own: the
    /// rows are found through an index on the date column (created the first time) and deleted by their ctid, so
    /// each batch holds its locks and its WAL briefly however large the table is.
    /// </summary>
    public static async Task<long> DeleteBatchAsync(
        NpgsqlDataSource dataSource,
        string schema,
        TableSchema table,
        string column,
        object cutoff,
        int maxRows,
        bool ensureIndex,
        CancellationToken cancellationToken)
    {
        var target = Qualified(schema, table.Name);
        if (ensureIndex)
        {
            await using var index = dataSource.CreateCommand($"CREATE INDEX IF NOT EXISTS {Quote(IndexName(table.Name, column))} ON {target} ({Quote(column)})");
            if (await ExecuteAsync(index, scalar: false, cancellationToken).ConfigureAwait(false) is null)
            {
                return 0;
            }
        }

        await using var command = dataSource.CreateCommand();
        var where = Where(command, schema, table, [new RowCondition(column, ConditionOperator.Less, cutoff)]);
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlTypes.NpgsqlDbType.Integer) { Value = maxRows });
        command.CommandText = $"DELETE FROM {target} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {target}{where} LIMIT @limit))";
        return await ExecuteAsync(command, scalar: false, cancellationToken).ConfigureAwait(false) ?? 0;
    }

    /// <summary>The retention index of a column; long names are shortened with a hash, as identifiers stop at 63 bytes.</summary>
    internal static string IndexName(string table, string column)
    {
        var name = $"{table}_{column}_retention";
        if (System.Text.Encoding.UTF8.GetByteCount(name) <= 63)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..12];
        return $"mybi_retention_{hash}";
    }

    private static async Task<long> RunWhereAsync(
        NpgsqlDataSource dataSource, string schema, TableSchema table, IReadOnlyList<RowCondition> conditions, string statement, bool scalar, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        command.CommandText = $"{statement} {Qualified(schema, table.Name)}" + Where(command, schema, table, conditions);
        return await ExecuteAsync(command, scalar, cancellationToken).ConfigureAwait(false) ?? 0;
    }

    /// <summary>The AND of the conditions as a WHERE clause (empty without conditions), its values added as typed parameters.</summary>
    internal static string Where(NpgsqlCommand command, string schema, TableSchema table, IReadOnlyList<RowCondition> conditions)
    {
        var where = new List<string>(conditions.Count);
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            var ordinal = table.IndexOf(condition.Column);
            if (ordinal < 0)
            {
                throw MyBiException.System($"Table {schema}.{table.Name} has no column '{condition.Column}' to filter by.");
            }

            var column = table.Columns[ordinal];
            where.Add($"{Quote(column.Name)} {Operator(condition.Operator)} @p{i}");
            command.Parameters.Add(new NpgsqlParameter($"p{i}", PostgresColumnTypes.DbType(column)) { Value = ToParameter(condition.Value, column) });
        }

        return where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty;
    }

    /// <summary>Runs a statement (rows affected) or a count (the scalar); null when the table was never created.</summary>
    private static async Task<long?> ExecuteAsync(NpgsqlCommand command, bool scalar, CancellationToken cancellationToken)
    {
        try
        {
            return scalar
                ? Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture)
                : await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Nothing was ever written to the table, so there is nothing to delete or count.
            return null;
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
        (ColumnType.LocalDateTime, DateTime wall) => DateTime.SpecifyKind(wall, DateTimeKind.Unspecified),
        (ColumnType.LocalDateTime, DateTimeOffset stamp) => stamp.DateTime,
        (ColumnType.LocalDateTime, DateOnly day) => day.ToDateTime(TimeOnly.MinValue),
        (ColumnType.Int64, IConvertible number) when value is not string => Convert.ToInt64(number, CultureInfo.InvariantCulture),
        (ColumnType.Decimal, IConvertible number) when value is not string => Convert.ToDecimal(number, CultureInfo.InvariantCulture),
        (ColumnType.Double, IConvertible number) when value is not string => Convert.ToDouble(number, CultureInfo.InvariantCulture),
        (ColumnType.String, string text) => PostgresText.Storable(text),
        (ColumnType.Json, string) or (ColumnType.Int64, long) or (ColumnType.Boolean, bool) or (ColumnType.Date, DateOnly) => value,
        _ => throw MyBiException.System(
            $"A delete condition on column '{column.Name}' ({column.Type}) has a {value.GetType().Name} value, expected {PostgresColumnTypes.ClrName(column.Type)}."),
    };
}
