using System.Runtime.CompilerServices;
using ClickHouse.Driver.ADO.Parameters;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.ClickHouse.Internal;

/// <summary>Streams a table's current rows back as the contract's CLR types (one row per key with FINAL).</summary>
internal sealed class ClickHouseTableReader
{
    private readonly ClickHouseCommands _commands;
    private readonly string _database;

    public ClickHouseTableReader(ClickHouseCommands commands, string database)
    {
        _commands = commands;
        _database = database;
    }

    public IAsyncEnumerable<object?[]> ReadAsync(TableSchema table, CancellationToken cancellationToken) =>
        ReadAsync(table, [], cancellationToken);

    /// <summary>The current rows matching every condition (the filter applies after FINAL, to the newest version of each key).</summary>
    public async IAsyncEnumerable<object?[]> ReadAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ClickHouseParameterCollection? parameters = null;
        var where = "";
        if (conditions.Count > 0)
        {
            (where, parameters) = ClickHouseRowDeleter.Filter(table, conditions);
            where = " WHERE " + where;
        }

        var sql = "SELECT " + string.Join(", ", table.Columns.Select(c => ClickHouseSql.Identifier(c.Name)))
            + " FROM " + ClickHouseSql.Table(_database, table.Name)
            + (table.PrimaryKey.Count > 0 ? " FINAL" : "")
            + where;
        var operation = $"reading table '{table.Name}'";
        var reader = await _commands.OpenReaderAsync(sql, parameters, null, operation, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await _commands.ReadAsync(reader, operation, cancellationToken).ConfigureAwait(false))
            {
                var row = new object?[table.Columns.Count];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = ClickHouseValues.FromDriver(reader.GetValue(i), table.Columns[i]);
                }

                yield return row;
            }
        }
    }
}
