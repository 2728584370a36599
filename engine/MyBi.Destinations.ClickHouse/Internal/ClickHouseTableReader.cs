using System.Runtime.CompilerServices;
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

    public async IAsyncEnumerable<object?[]> ReadAsync(TableSchema table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sql = "SELECT " + string.Join(", ", table.Columns.Select(c => ClickHouseSql.Identifier(c.Name)))
            + " FROM " + ClickHouseSql.Table(_database, table.Name)
            + (table.PrimaryKey.Count > 0 ? " FINAL" : "");
        var operation = $"reading table '{table.Name}'";
        var reader = await _commands.OpenReaderAsync(sql, null, null, operation, cancellationToken).ConfigureAwait(false);
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
