using System.Globalization;
using MyBi.Abstractions.Destinations;
using Npgsql;
using static MyBi.Destinations.Postgres.Internal.PostgresSqlNames;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// Runs a user's query in a READ ONLY transaction that is always rolled back, with the destination's schema first
/// on the search path and a statement timeout. Queries are fetched through a cursor, so a row limit never reads the
/// rest of a large result.
/// </summary>
/// <remarks>
/// A superuser ignores most privileges: it could read server files (<c>pg_read_file</c>) or write through another
/// connection (<c>dblink_exec</c>), which the read-only transaction does not cover. For such a role the query runs
/// as the predefined role <c>pg_read_all_data</c> (PostgreSQL 14 and later), which reads every table and nothing
/// else, and the result carries a warning. That is a safety net, not a boundary: a superuser's session can switch
/// its role back, so the pipeline should use a role that is not a superuser.
/// </remarks>
internal static class PostgresQueryRunner
{
    private const string Cursor = "\"mybi_query\"";

    private const string RoleSql = """
        SELECT current_setting('is_superuser') = 'on', current_user::text, to_regrole('pg_read_all_data') IS NOT NULL
        """;

    /// <summary>
    /// Hands the rows to <paramref name="sink"/> as they arrive; returns whether more than <paramref name="maxRows"/>
    /// (null: no limit) existed, and the warnings about how the query ran.
    /// </summary>
    public static async Task<(bool Truncated, IReadOnlyList<string> Warnings)> RunAsync(
        NpgsqlDataSource dataSource,
        string schema,
        string statement,
        ReadOnlyQuery.Kind kind,
        QueryRowSink sink,
        int? maxRows,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var milliseconds = (long)timeout.TotalMilliseconds;
        var setupSql = string.Create(
            CultureInfo.InvariantCulture,
            $"SET TRANSACTION READ ONLY; SET LOCAL search_path TO {Quote(schema)}, public; SET LOCAL statement_timeout = {milliseconds}; SET LOCAL idle_in_transaction_session_timeout = {milliseconds}");
        await using (var setup = new NpgsqlCommand(setupSql, connection, transaction))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var warnings = new List<string>();
        var restrict = false;
        await using (var role = new NpgsqlCommand(RoleSql, connection, transaction))
        await using (var reader = await role.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (reader.GetBoolean(0))
            {
                var user = reader.GetString(1);
                restrict = reader.GetBoolean(2);
                warnings.Add(restrict
                    ? $"the pipeline connects to PostgreSQL as superuser '{user}'; the query ran as pg_read_all_data, but give the pipeline a role that is not a superuser (see the README)."
                    : $"the pipeline connects to PostgreSQL as superuser '{user}', so the query can read server files; give the pipeline a role that is not a superuser (see the README).");
            }
        }

        if (restrict)
        {
            await using var setRole = new NpgsqlCommand("SET LOCAL ROLE pg_read_all_data", connection, transaction);
            await setRole.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        bool truncated;
        if (kind == ReadOnlyQuery.Kind.Cursor)
        {
            await using (var declare = new NpgsqlCommand($"DECLARE {Cursor} NO SCROLL CURSOR FOR {statement}", connection, transaction))
            {
                await declare.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // FETCH takes a 32-bit count: "every row" is FETCH ALL, which the driver still reads row by row.
            var fetch = maxRows is not { } limit || limit == int.MaxValue
                ? $"FETCH ALL FROM {Cursor}"
                : string.Create(CultureInfo.InvariantCulture, $"FETCH FORWARD {limit + 1} FROM {Cursor}");
            await using var command = new NpgsqlCommand(fetch, connection, transaction);
            truncated = await ReadAsync(command, sink, maxRows, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            truncated = await ReadAsync(command, sink, maxRows, cancellationToken).ConfigureAwait(false);
        }

        await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        return (truncated, warnings);
    }

    private static async Task<bool> ReadAsync(NpgsqlCommand command, QueryRowSink sink, int? maxRows, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var columns = new string[reader.FieldCount];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = reader.GetName(i);
        }

        sink.OnColumns(columns);
        var count = 0L;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (count == maxRows)
            {
                return true;
            }

            var row = new object?[columns.Length];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            sink.OnRow(row);
            count++;
        }

        return false;
    }
}
