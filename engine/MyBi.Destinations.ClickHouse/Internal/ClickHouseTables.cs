using System.Collections.Concurrent;
using System.Globalization;
using ClickHouse.Driver.ADO.Parameters;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.ClickHouse.Internal;

/// <summary>
/// Creates the database and tables, adds columns a stream gained, and remembers each table's column types, which
/// the batch writer needs for RowBinary.
/// </summary>
internal sealed class ClickHouseTables
{
    private const string ColumnsSql =
        "SELECT name, type FROM system.columns WHERE database = {database:String} AND table = {table:String} ORDER BY position";

    private const string TableExistsSql =
        "SELECT count() FROM system.tables WHERE database = {database:String} AND name = {table:String}";

    private readonly ClickHouseCommands _commands;
    private readonly ClickHouseTableDdl _ddl;
    private readonly string _database;
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _columns = new(StringComparer.Ordinal);
    private volatile bool _databaseReady;

    public ClickHouseTables(ClickHouseCommands commands, ClickHouseTableDdl ddl, string database)
    {
        _commands = commands;
        _ddl = ddl;
        _database = database;
    }

    public async ValueTask EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        if (_databaseReady)
        {
            return;
        }

        await _commands.ExecuteAsync(_ddl.CreateDatabase(), $"creating database '{_database}'", cancellationToken).ConfigureAwait(false);
        _databaseReady = true;
    }

    public async ValueTask EnsureTableAsync(TableSchema table, CancellationToken cancellationToken)
    {
        CheckColumnNames(table);
        await EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var existing = await LoadColumnsAsync(table.Name, cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            foreach (var statement in _ddl.CreateTable(table))
            {
                await _commands.ExecuteAsync(statement, $"creating table '{table.Name}'", cancellationToken).ConfigureAwait(false);
            }

            _columns[table.Name] = await LoadColumnsAsync(table.Name, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!existing.ContainsKey(ClickHouseSql.VersionColumn))
        {
            throw MyBiException.Config(
                $"Table '{_database}.{table.Name}' exists in ClickHouse but was not created by MyBi (it has no {ClickHouseSql.VersionColumn} column); drop it or load into another database.");
        }

        var added = false;
        foreach (var column in table.Columns)
        {
            if (existing.TryGetValue(column.Name, out var type))
            {
                if (!ClickHouseColumnTypes.IsCompatible(type, column))
                {
                    throw new MyBiException(
                        FailureKind.Config,
                        $"Table '{_database}.{table.Name}' column '{column.Name}' is {ClickHouseColumnTypes.Unwrap(type)} in ClickHouse but the stream now gives {column.Type} ({ClickHouseColumnTypes.BaseType(column)}); change the column by hand or load into a new table.")
                    {
                        Stream = table.Name,
                    };
                }

                continue;
            }

            foreach (var statement in _ddl.AddColumn(table.Name, column))
            {
                await _commands.ExecuteAsync(statement, $"adding column '{column.Name}' to table '{table.Name}'", cancellationToken).ConfigureAwait(false);
            }

            added = true;
        }

        _columns[table.Name] = added ? await LoadColumnsAsync(table.Name, cancellationToken).ConfigureAwait(false) : existing;
    }

    /// <summary>Creates or replaces a view (ON CLUSTER in cluster mode) with its comment.</summary>
    public async ValueTask EnsureViewAsync(string name, string selectSql, string? description, CancellationToken cancellationToken)
    {
        await EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var sql = "CREATE OR REPLACE VIEW " + ClickHouseSql.Table(_database, name) + _ddl.OnClusterClause + " AS " + selectSql;
        if (!string.IsNullOrWhiteSpace(description))
        {
            sql += " COMMENT " + ClickHouseSql.Literal(description);
        }

        await _commands.ExecuteAsync(sql, $"creating view '{name}'", cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> ExistsAsync(string table, CancellationToken cancellationToken)
    {
        var count = await _commands.ScalarAsync(TableExistsSql, Parameters(table), $"looking up table '{table}'", cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(count, CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>The server's column types of a table made by <see cref="EnsureTableAsync"/>, by column name.</summary>
    public async ValueTask<IReadOnlyDictionary<string, string>> ColumnsOfAsync(string table, CancellationToken cancellationToken)
    {
        if (_columns.TryGetValue(table, out var columns))
        {
            return columns;
        }

        columns = await LoadColumnsAsync(table, cancellationToken).ConfigureAwait(false);
        if (columns.Count == 0)
        {
            throw MyBiException.System($"Table '{_database}.{table}' does not exist; EnsureTableAsync must run before writing.");
        }

        _columns[table] = columns;
        return columns;
    }

    private async ValueTask<IReadOnlyDictionary<string, string>> LoadColumnsAsync(string table, CancellationToken cancellationToken)
    {
        var operation = $"reading the columns of table '{table}'";
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = await _commands.OpenReaderAsync(ColumnsSql, Parameters(table), null, operation, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await _commands.ReadAsync(reader, operation, cancellationToken).ConfigureAwait(false))
            {
                columns[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return columns;
    }

    private ClickHouseParameterCollection Parameters(string table) =>
    [
        new ClickHouseDbParameter { ParameterName = "database", Value = _database },
        new ClickHouseDbParameter { ParameterName = "table", Value = table },
    ];

    private static void CheckColumnNames(TableSchema table)
    {
        if (table.IndexOf(ClickHouseSql.VersionColumn) >= 0)
        {
            throw MyBiException.Config($"Table '{table.Name}' has a column named {ClickHouseSql.VersionColumn}, which the ClickHouse destination reserves for row versions; rename it in the stream.");
        }
    }
}
