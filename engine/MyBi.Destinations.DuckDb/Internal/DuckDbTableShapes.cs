using DuckDB.NET.Data;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.DuckDb.Internal;

/// <summary>
/// Creates tables and evolves them: adds missing columns as nullable and refuses type changes that would lose
/// data. Shapes are cached per destination so a write does not query the catalog each batch.
/// </summary>
internal sealed class DuckDbTableShapes
{
    private const string MainSchema = "main";

    // DuckDB resolves identifiers case-insensitively, so the cache does too.
    private readonly Dictionary<string, TableShape> _known = new(StringComparer.OrdinalIgnoreCase);

    public void Forget(string table) => _known.Remove(table);

    /// <summary>Asks the catalog, not the cache: the table may have been dropped behind this destination's back.</summary>
    public bool Exists(DuckDBConnection connection, string table)
    {
        if (Load(connection, table) is not null)
        {
            return true;
        }

        _known.Remove(table);
        return false;
    }

    public TableShape Ensure(DuckDBConnection connection, TableSchema schema)
    {
        if (!_known.TryGetValue(schema.Name, out var shape))
        {
            shape = Load(connection, schema.Name);
            if (shape is null)
            {
                return Remember(Create(connection, schema));
            }
        }

        shape = ConvertEarlierWallClocks(connection, shape, schema);
        Check(shape, schema);
        var missing = schema.Columns.Where(c => !shape.Columns.ContainsKey(c.Name)).ToList();
        if (missing.Count == 0)
        {
            return Remember(shape);
        }

        _known.Remove(schema.Name);
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var column in missing)
            {
                // Added columns are nullable whatever the stream says: existing rows have no value for them.
                Execute(connection, $"ALTER TABLE {DuckDbSql.Quote(shape.Name)} ADD COLUMN {DuckDbSql.Quote(column.Name)} {DuckDbSql.TypeOf(schema.Name, column)}");
            }

            Comment(connection, schema.Name, missing);
            transaction.Commit();
        }

        foreach (var column in missing)
        {
            shape.Columns[column.Name] = Normalize(DuckDbSql.TypeOf(schema.Name, column));
            shape.Order.Add(column.Name);
        }

        return Remember(shape);
    }

    /// <summary>
    /// Converts wall-clock columns an earlier version created as TIMESTAMPTZ (the clock reading at UTC+00:00) to
    /// TIMESTAMP in place, keeping each reading; DuckDB binds views when they are queried, so views over them stay.
    /// </summary>
    private TableShape ConvertEarlierWallClocks(DuckDBConnection connection, TableShape shape, TableSchema schema)
    {
        var earlier = schema.Columns
            .Where(c => shape.Columns.TryGetValue(c.Name, out var existing) && DuckDbSql.IsEarlierWallClock(existing, c))
            .ToList();
        if (earlier.Count == 0)
        {
            return shape;
        }

        _known.Remove(schema.Name);
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var column in earlier)
            {
                var name = DuckDbSql.Quote(column.Name);
                Execute(connection, $"ALTER TABLE {DuckDbSql.Quote(shape.Name)} ALTER COLUMN {name} SET DATA TYPE TIMESTAMP USING timezone('UTC', {name})");
            }

            Comment(connection, shape.Name, earlier);
            transaction.Commit();
        }

        return Load(connection, schema.Name)
            ?? throw MyBiException.System($"Table '{schema.Name}' was altered but DuckDB does not list it.");
    }

    private TableShape Remember(TableShape shape)
    {
        _known[shape.Name] = shape;
        return shape;
    }

    private static TableShape Create(DuckDBConnection connection, TableSchema schema)
    {
        var columns = schema.Columns
            .Select(c => $"{DuckDbSql.Quote(c.Name)} {DuckDbSql.TypeOf(schema.Name, c)}{(c.Nullable ? string.Empty : " NOT NULL")}")
            .ToList();
        if (schema.PrimaryKey.Count > 0)
        {
            columns.Add($"PRIMARY KEY ({DuckDbSql.QuoteList(schema.PrimaryKey)})");
        }

        using (var transaction = connection.BeginTransaction())
        {
            Execute(connection, $"CREATE TABLE IF NOT EXISTS {DuckDbSql.Quote(schema.Name)} ({string.Join(", ", columns)})");
            if (!string.IsNullOrWhiteSpace(schema.Description))
            {
                Execute(connection, $"COMMENT ON TABLE {DuckDbSql.Quote(schema.Name)} IS {DuckDbSql.Literal(schema.Description)}");
            }

            Comment(connection, schema.Name, schema.Columns);
            transaction.Commit();
        }

        return Load(connection, schema.Name)
            ?? throw MyBiException.System($"Table '{schema.Name}' was created but DuckDB does not list it.");
    }

    /// <summary>Column comments, so that BI tools show what each column means.</summary>
    private static void Comment(DuckDBConnection connection, string table, IEnumerable<ColumnSchema> columns)
    {
        foreach (var column in columns.Where(c => !string.IsNullOrWhiteSpace(c.Description)))
        {
            Execute(connection, $"COMMENT ON COLUMN {DuckDbSql.Quote(table)}.{DuckDbSql.Quote(column.Name)} IS {DuckDbSql.Literal(column.Description!)}");
        }
    }

    private static void Check(TableShape shape, TableSchema schema)
    {
        foreach (var column in schema.Columns)
        {
            if (shape.Columns.TryGetValue(column.Name, out var existing) && !DuckDbSql.Fits(existing, column))
            {
                throw new MyBiException(
                    FailureKind.Config,
                    $"Table '{schema.Name}' column '{column.Name}' is {existing} in the warehouse but the stream now declares {DuckDbSql.TypeOf(schema.Name, column)}; " +
                    "give the new field another name in the stream, or rename or drop the warehouse column, then run again.")
                {
                    Stream = schema.Name,
                };
            }
        }

        if (schema.PrimaryKey.Count > 0 && shape.PrimaryKey.Count > 0
            && !schema.PrimaryKey.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(shape.PrimaryKey.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
        {
            throw new MyBiException(
                FailureKind.Config,
                $"Table '{schema.Name}' has the primary key ({string.Join(", ", shape.PrimaryKey)}) in the warehouse but the stream now declares ({string.Join(", ", schema.PrimaryKey)}); " +
                "drop or rename the table so it can be created with the new key, then run again.")
            {
                Stream = schema.Name,
            };
        }
    }

    private static TableShape? Load(DuckDBConnection connection, string table)
    {
        string? storedName = null;
        var columns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using (var command = connection.CreateCommand())
        {
            command.CommandText =
                "SELECT table_name, column_name, data_type FROM duckdb_columns() " +
                "WHERE database_name = current_database() AND schema_name = $schema AND lower(table_name) = lower($table) " +
                "ORDER BY column_index";
            command.Parameters.Add(new DuckDBParameter("schema", MainSchema));
            command.Parameters.Add(new DuckDBParameter("table", table));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                storedName = reader.GetString(0);
                columns[reader.GetString(1)] = Normalize(reader.GetString(2));
            }
        }

        if (storedName is null)
        {
            return null;
        }

        var primaryKey = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText =
                "SELECT unnest(constraint_column_names) FROM duckdb_constraints() " +
                "WHERE database_name = current_database() AND schema_name = $schema AND table_name = $table AND constraint_type = 'PRIMARY KEY'";
            command.Parameters.Add(new DuckDBParameter("schema", MainSchema));
            command.Parameters.Add(new DuckDBParameter("table", storedName));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                primaryKey.Add(reader.GetString(0));
            }
        }

        return new TableShape(storedName, columns, primaryKey);
    }

    private static string Normalize(string type) => type switch
    {
        "TIMESTAMPTZ" => "TIMESTAMP WITH TIME ZONE",
        _ => type,
    };

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
