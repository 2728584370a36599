using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using Npgsql;
using NpgsqlTypes;
using static MyBi.Destinations.Postgres.Internal.PostgresSqlNames;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// Creates tables and evolves them: new columns are added as nullable, a column whose type would change or a
/// different primary key is refused with a Config error naming table and column.
/// </summary>
internal sealed class PostgresTableDdl
{
    private const string ColumnsSql =
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = @schema AND table_name = @table";

    private const string PrimaryKeySql = """
        SELECT a.attname
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
        WHERE i.indisprimary AND n.nspname = @schema AND c.relname = @table
        """;

    // The views reading the given columns of the table, then the views over those, each once at its deepest level,
    // shallowest first (the order to create them in), with the statements that give back their comment and the
    // privileges granted on them (a BI tool's role reading a view keeps reading it); names come quoted from the server.
    private const string DependentViewsSql = """
        WITH RECURSIVE dependents(oid, depth) AS (
            SELECT r.ev_class, 1
            FROM pg_catalog.pg_depend d
            JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
            JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
            JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
            WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
              AND n.nspname = @schema AND t.relname = @table AND a.attname = ANY (@columns) AND r.ev_class <> t.oid
            UNION
            SELECT r.ev_class, dependents.depth + 1
            FROM dependents
            JOIN pg_catalog.pg_depend d ON d.refobjid = dependents.oid
                AND d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
            JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
            WHERE r.ev_class <> dependents.oid AND dependents.depth < 64
        )
        SELECT format('%I.%I', n.nspname, c.relname), c.relkind, pg_catalog.pg_get_viewdef(c.oid),
            format('COMMENT ON VIEW %I.%I IS %L', n.nspname, c.relname, pg_catalog.obj_description(c.oid, 'pg_class')),
            (SELECT string_agg(format('GRANT %s ON %I.%I TO %s', a.privilege_type, n.nspname, c.relname,
                        CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END), '; ')
             FROM pg_catalog.aclexplode(c.relacl) a WHERE a.grantee <> c.relowner)
        FROM (SELECT oid, max(depth) AS depth FROM dependents GROUP BY oid) v
        JOIN pg_catalog.pg_class c ON c.oid = v.oid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        ORDER BY v.depth, 1
        """;

    // COMMENT takes no parameters; format() quotes on the server (%I identifiers, %L literals) instead.
    private const string CommentsSql = """
        SELECT format('COMMENT ON TABLE %I.%I IS %L', @schema, @table, @description) WHERE @description IS NOT NULL
        UNION ALL
        SELECT format('COMMENT ON COLUMN %I.%I.%I IS %L', @schema, @table, x.name, x.description)
        FROM unnest(@names, @descriptions) AS x(name, description)
        WHERE x.description IS NOT NULL
        """;

    // Whether the server compresses with lz4 (PostgreSQL 14 and later, when built with it); asked once.
    private const string Lz4Sql = "SELECT coalesce(bool_or('lz4' = ANY (enumvals)), false) FROM pg_catalog.pg_settings WHERE name = 'default_toast_compression'";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private int _lz4; // 0: not asked yet, 1: no, 2: yes

    public PostgresTableDdl(NpgsqlDataSource dataSource, string schema)
    {
        _dataSource = dataSource;
        _schema = schema;
    }

    public static void CheckNames(TableSchema table)
    {
        PostgresDestinationOptions.CheckIdentifier(table.Name, "table");
        foreach (var column in table.Columns)
        {
            PostgresDestinationOptions.CheckIdentifier(column.Name, "column");
            if (string.Equals(column.Name, ArrivalColumn, StringComparison.Ordinal))
            {
                throw MyBiException.Config($"Table {table.Name} has a column named '{ArrivalColumn}', a name the PostgreSQL destination reserves for itself; rename it.");
            }
        }
    }

    public async Task EnsureAsync(TableSchema table, CancellationToken cancellationToken)
    {
        CheckNames(table);
        var target = Qualified(_schema, table.Name);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Two runs ensuring one table at once would otherwise both see it missing and race on the DDL.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@name, 0))", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("name", NpgsqlDbType.Text, target);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var existing = await ReadColumnsAsync(connection, transaction, table.Name, cancellationToken).ConfigureAwait(false);
        List<ColumnSchema> described;
        if (existing.Count == 0)
        {
            await CreateAsync(connection, transaction, table, target, cancellationToken).ConfigureAwait(false);
            described = [.. table.Columns];
        }
        else
        {
            described = await EvolveAsync(connection, transaction, table, target, existing, cancellationToken).ConfigureAwait(false);
        }

        await CommentAsync(connection, transaction, table, described, describeTable: existing.Count == 0, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CreateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TableSchema table, string target, CancellationToken cancellationToken)
    {
        var lz4 = await Lz4Async(connection, transaction, cancellationToken).ConfigureAwait(false);
        var definitions = table.Columns
            .Select(c => $"{Quote(c.Name)} {Definition(c, lz4)}{(c.Nullable ? string.Empty : " NOT NULL")}")
            .ToList();
        if (table.PrimaryKey.Count > 0)
        {
            definitions.Add($"PRIMARY KEY ({List(table.PrimaryKey)})");
        }

        // CREATE SCHEMA IF NOT EXISTS still needs the CREATE right on the database, so it runs only when needed.
        var sql = await SchemaExistsAsync(connection, transaction, cancellationToken).ConfigureAwait(false)
            ? string.Empty
            : $"CREATE SCHEMA IF NOT EXISTS {Quote(_schema)}; ";
        sql += $"CREATE TABLE IF NOT EXISTS {target} ({string.Join(", ", definitions)})";
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The column's type, and for JSON and text lz4 compression where the server has it: PostgreSQL compresses
    /// values over about 2 KB (a record's nested services, a webhook body) as it stores them, and its default,
    /// pglz, costs the server about 1.5 times the CPU of lz4 on such writes.
    /// </summary>
    private static string Definition(ColumnSchema column, bool lz4) =>
        lz4 && column.Type is ColumnType.Json or ColumnType.String
            ? PostgresColumnTypes.SqlType(column) + " COMPRESSION lz4"
            : PostgresColumnTypes.SqlType(column);

    private async ValueTask<bool> Lz4Async(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _lz4) == 0)
        {
            await using var command = new NpgsqlCommand(Lz4Sql, connection, transaction);
            Volatile.Write(ref _lz4, await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true ? 2 : 1);
        }

        return Volatile.Read(ref _lz4) == 2;
    }

    private async Task<List<ColumnSchema>> EvolveAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        TableSchema table,
        string target,
        Dictionary<string, string> existing,
        CancellationToken cancellationToken)
    {
        var added = new List<ColumnSchema>();
        var earlier = new List<(ColumnSchema Column, string Using)>();
        foreach (var column in table.Columns)
        {
            if (!existing.TryGetValue(column.Name, out var dataType))
            {
                added.Add(column);
            }
            else if (PostgresColumnTypes.EarlierConversion(dataType, column, Quote(column.Name)) is { } conversion)
            {
                earlier.Add((column, conversion));
            }
            else if (!PostgresColumnTypes.Accepts(dataType, column))
            {
                throw MyBiException.Config(
                    $"Column '{column.Name}' of table {_schema}.{table.Name} is {dataType} in PostgreSQL but the stream now declares {column.Type} ({PostgresColumnTypes.SqlType(column)}); rename or drop the column to change its type.");
            }
        }

        var key = await ReadPrimaryKeyAsync(connection, transaction, table.Name, cancellationToken).ConfigureAwait(false);
        if (table.PrimaryKey.Count > 0 && !key.SetEquals(table.PrimaryKey))
        {
            var actual = key.Count == 0 ? "no primary key" : $"primary key ({string.Join(", ", key.Order(StringComparer.Ordinal))})";
            throw MyBiException.Config(
                $"Table {_schema}.{table.Name} has {actual} in PostgreSQL but the stream declares ({string.Join(", ", table.PrimaryKey)}); drop or rename the table to rebuild it.");
        }

        if (earlier.Count > 0)
        {
            await ConvertEarlierAsync(connection, transaction, table, target, earlier, cancellationToken).ConfigureAwait(false);
        }

        if (added.Count > 0)
        {
            // Added columns are nullable whatever the stream says: the rows already there have no value for them.
            var lz4 = await Lz4Async(connection, transaction, cancellationToken).ConfigureAwait(false);
            var sql = $"ALTER TABLE {target} " + string.Join(
                ", ",
                added.Select(c => $"ADD COLUMN IF NOT EXISTS {Quote(c.Name)} {Definition(c, lz4)}"));
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return [.. added, .. earlier.Select(e => e.Column)];
    }

    /// <summary>
    /// Converts columns an earlier version created with another type, keeping each value: wall-clock columns from
    /// timestamptz (the clock reading at UTC+00:00) to timestamp without time zone, verbatim JSON columns from jsonb
    /// to json. PostgreSQL refuses to change the type of a column a view reads, so the views that read these
    /// columns, and the views over those, are dropped and created again from their own definitions, comments and
    /// grants within the same transaction: the engine's views and anyone else's alike.
    /// </summary>
    private async Task ConvertEarlierAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TableSchema table, string target, List<(ColumnSchema Column, string Using)> conversions, CancellationToken cancellationToken)
    {
        var columns = conversions.ConvertAll(c => c.Column);
        var views = new List<(string Name, char Kind, string Definition, string Comment, string? Grants)>();
        await using (var command = new NpgsqlCommand(DependentViewsSql, connection, transaction))
        {
            command.Parameters.AddWithValue("schema", NpgsqlDbType.Text, _schema);
            command.Parameters.AddWithValue("table", NpgsqlDbType.Text, table.Name);
            command.Parameters.AddWithValue("columns", NpgsqlDbType.Array | NpgsqlDbType.Text, columns.Select(c => c.Name).ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                views.Add((reader.GetString(0), reader.GetChar(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }

        var conversion = $"Table {_schema}.{table.Name} has columns ({string.Join(", ", columns.Select(c => c.Name))}) to convert to " +
            string.Join(", ", columns.Select(PostgresColumnTypes.SqlType).Distinct(StringComparer.Ordinal));
        if (views.Find(v => v.Kind != 'v') is { Name: not null } materialized)
        {
            throw MyBiException.Config($"{conversion}, but the materialized view {materialized.Name} reads them; drop it, run again, then create it again.");
        }

        var statements = new List<string>();
        statements.AddRange(Enumerable.Reverse(views).Select(v => $"DROP VIEW {v.Name}"));
        statements.Add($"ALTER TABLE {target} " + string.Join(
            ", ",
            conversions.Select(c => $"ALTER COLUMN {Quote(c.Column.Name)} TYPE {PostgresColumnTypes.SqlType(c.Column)} USING {c.Using}")));
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var view in views)
        {
            await using var command = new NpgsqlCommand($"CREATE VIEW {view.Name} AS {view.Definition}", connection, transaction);
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedFunction or PostgresErrorCodes.DatatypeMismatch)
            {
                // A view may use what only the old type has (jsonb's @> on a column now json): nothing is changed.
                throw MyBiException.Config($"{conversion}, but the view {view.Name} cannot be created again over the new type ({ex.MessageText}); drop it, run again, then create it again.", ex);
            }
        }

        // A view without a comment gets COMMENT ... IS NULL (format's %L of NULL), which sets none.
        foreach (var view in views)
        {
            await using var command = new NpgsqlCommand(view.Grants is null ? view.Comment : view.Comment + "; " + view.Grants, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates or replaces a view and sets its comment. CREATE OR REPLACE keeps views that depend on it; a view whose
    /// columns changed other than by new ones at the end must be dropped by hand first, as PostgreSQL says.
    /// </summary>
    public async Task EnsureViewAsync(string name, string selectSql, string? description, CancellationToken cancellationToken)
    {
        PostgresDestinationOptions.CheckIdentifier(name, "view");
        var target = Qualified(_schema, name);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@name, 0))", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("name", NpgsqlDbType.Text, target);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var sql = await SchemaExistsAsync(connection, transaction, cancellationToken).ConfigureAwait(false)
            ? string.Empty
            : $"CREATE SCHEMA IF NOT EXISTS {Quote(_schema)}; ";
        await using (var create = new NpgsqlCommand(sql + $"CREATE OR REPLACE VIEW {target} AS {selectSql}", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!string.IsNullOrWhiteSpace(description))
        {
            string comment;
            await using (var format = new NpgsqlCommand("SELECT format('COMMENT ON VIEW %I.%I IS %L', @schema, @name, @description)", connection, transaction))
            {
                format.Parameters.AddWithValue("schema", NpgsqlDbType.Text, _schema);
                format.Parameters.AddWithValue("name", NpgsqlDbType.Text, name);
                format.Parameters.AddWithValue("description", NpgsqlDbType.Text, description);
                comment = (string)(await format.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            await using var apply = new NpgsqlCommand(comment, connection, transaction);
            await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CommentAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        TableSchema table,
        List<ColumnSchema> columns,
        bool describeTable,
        CancellationToken cancellationToken)
    {
        var description = describeTable ? table.Description : null;
        if (description is null && columns.TrueForAll(c => c.Description is null))
        {
            return;
        }

        var statements = new List<string>();
        await using (var command = new NpgsqlCommand(CommentsSql, connection, transaction))
        {
            command.Parameters.AddWithValue("schema", NpgsqlDbType.Text, _schema);
            command.Parameters.AddWithValue("table", NpgsqlDbType.Text, table.Name);
            command.Parameters.AddWithValue("description", NpgsqlDbType.Text, (object?)description ?? DBNull.Value);
            command.Parameters.AddWithValue("names", NpgsqlDbType.Array | NpgsqlDbType.Text, columns.Select(c => c.Name).ToArray());
            command.Parameters.AddWithValue("descriptions", NpgsqlDbType.Array | NpgsqlDbType.Text, columns.Select(c => c.Description).ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                statements.Add(reader.GetString(0));
            }
        }

        foreach (var statement in statements)
        {
            await using var comment = new NpgsqlCommand(statement, connection, transaction);
            await comment.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> SchemaExistsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = @schema)", connection, transaction);
        command.Parameters.AddWithValue("schema", NpgsqlDbType.Text, _schema);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<Dictionary<string, string>> ReadColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken cancellationToken)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(ColumnsSql, connection, transaction);
        command.Parameters.AddWithValue("schema", NpgsqlDbType.Text, _schema);
        command.Parameters.AddWithValue("table", NpgsqlDbType.Text, table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns[reader.GetString(0)] = reader.GetString(1);
        }

        return columns;
    }

    private async Task<HashSet<string>> ReadPrimaryKeyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken cancellationToken)
    {
        var key = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(PrimaryKeySql, connection, transaction);
        command.Parameters.AddWithValue("schema", NpgsqlDbType.Text, _schema);
        command.Parameters.AddWithValue("table", NpgsqlDbType.Text, table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            key.Add(reader.GetString(0));
        }

        return key;
    }
}
