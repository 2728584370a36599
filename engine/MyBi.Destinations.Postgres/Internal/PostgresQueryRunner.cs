using System.Globalization;
using MyBi.Abstractions.Destinations;
using Npgsql;
using static MyBi.Destinations.Postgres.Internal.PostgresSqlNames;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// Runs a user's query in a READ ONLY transaction that is always rolled back, with the destination's schema first
/// on the search path. Queries are fetched through a cursor, so a row limit never reads the rest of a large result.
/// </summary>
internal static class PostgresQueryRunner
{
    private const string Cursor = "\"mybi_query\"";

    public static async Task<QueryResult> RunAsync(
        NpgsqlDataSource dataSource,
        string schema,
        string statement,
        ReadOnlyQuery.Kind kind,
        int maxRows,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var setup = new NpgsqlCommand($"SET TRANSACTION READ ONLY; SET LOCAL search_path TO {Quote(schema)}, public", connection, transaction))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        QueryResult result;
        if (kind == ReadOnlyQuery.Kind.Cursor)
        {
            await using (var declare = new NpgsqlCommand($"DECLARE {Cursor} NO SCROLL CURSOR FOR {statement}", connection, transaction))
            {
                await declare.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var fetch = string.Create(CultureInfo.InvariantCulture, $"FETCH FORWARD {(long)maxRows + 1} FROM {Cursor}");
            await using var command = new NpgsqlCommand(fetch, connection, transaction);
            result = await ReadAsync(command, maxRows, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            result = await ReadAsync(command, maxRows, cancellationToken).ConfigureAwait(false);
        }

        await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static async Task<QueryResult> ReadAsync(NpgsqlCommand command, int maxRows, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var columns = new string[reader.FieldCount];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = reader.GetName(i);
        }

        var rows = new List<object?[]>();
        var truncated = false;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (rows.Count == maxRows)
            {
                truncated = true;
                break;
            }

            var row = new object?[columns.Length];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return new QueryResult(columns, rows, truncated);
    }
}
