using ClickHouse.Driver;
using MyBi.Abstractions.Destinations;

namespace MyBi.Destinations.ClickHouse.Internal;

/// <summary>Runs a user's SELECT under settings that make the server refuse anything but reading.</summary>
internal sealed class ClickHouseReadOnlyQuery
{
    private const string Operation = "running a query";

    private readonly ClickHouseCommands _commands;
    private readonly string _database;
    private readonly TimeSpan _timeout;

    public ClickHouseReadOnlyQuery(ClickHouseCommands commands, string database, TimeSpan timeout)
    {
        _commands = commands;
        _database = database;
        _timeout = timeout;
    }

    public async ValueTask<QueryResult> RunAsync(string sql, int maxRows, CancellationToken cancellationToken)
    {
        var rows = new QueryRowCollector(maxRows);
        var truncated = await StreamAsync(sql, rows, maxRows, cancellationToken).ConfigureAwait(false);
        return rows.ToResult(truncated);
    }

    /// <summary>Hands the rows to <paramref name="sink"/> as they arrive; true when more than <paramref name="maxRows"/> existed.</summary>
    public async ValueTask<bool> StreamAsync(string sql, QueryRowSink sink, int? maxRows, CancellationToken cancellationToken)
    {
        var options = new QueryOptions
        {
            // Unqualified names resolve in the destination's database; readonly=1 makes the server refuse writes,
            // table functions that reach files or other servers (file, url, remote, s3...) and any SETTINGS clause
            // that would lift these limits; final=1 reads every ReplacingMergeTree table as if with FINAL, so a
            // query sees one row per key; max_execution_time ends a runaway query on the server.
            Database = _database,
            CustomSettings = new Dictionary<string, object>
            {
                ["readonly"] = 1,
                ["final"] = 1,
                ["max_execution_time"] = (long)_timeout.TotalSeconds,
            },
        };
        var reader = await _commands.OpenReaderAsync(sql, null, options, Operation, cancellationToken, userSql: true).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            sink.OnColumns(columns);
            var count = 0L;
            while (await _commands.ReadAsync(reader, Operation, cancellationToken, userSql: true).ConfigureAwait(false))
            {
                if (count == maxRows)
                {
                    return true;
                }

                var row = new object?[columns.Length];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = ClickHouseValues.FromQuery(reader.GetValue(i));
                }

                sink.OnRow(row);
                count++;
            }

            return false;
        }
    }
}
