using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using Npgsql;
using NpgsqlTypes;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// Streams a batch's rows into an open binary COPY, each value with its explicit PostgreSQL type so the driver
/// never guesses. Values arrive in the contract's CLR types; anything else is an engine bug and says where it is.
/// </summary>
internal static class BinaryRowWriter
{
    /// <summary>
    /// Writes every row; with <paramref name="withArrival"/> appends the row's position in the batch as a last
    /// bigint column.
    /// </summary>
    public static async Task WriteAsync(
        NpgsqlBinaryImporter importer,
        TableSchema schema,
        IReadOnlyList<object?[]> rows,
        bool withArrival,
        CancellationToken cancellationToken)
    {
        var columns = schema.Columns;
        var types = new ColumnType[columns.Count];
        var sent = new NpgsqlDbType[columns.Count];
        for (var c = 0; c < types.Length; c++)
        {
            types[c] = columns[c].Type;
            sent[c] = PostgresColumnTypes.DbType(columns[c]);
        }

        var count = rows.Count;
        for (var r = 0; r < count; r++)
        {
            var row = rows[r];
            if (row is null || row.Length != types.Length)
            {
                throw MyBiException.System(
                    $"Row {r} of table {schema.Name} has {row?.Length ?? 0} values for {types.Length} columns.");
            }

            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            for (var c = 0; c < types.Length; c++)
            {
                var value = row[c];
                if (value is null)
                {
                    await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var write = types[c] switch
                {
                    ColumnType.String when value is string s => importer.WriteAsync(PostgresText.Storable(s), NpgsqlDbType.Text, cancellationToken),
                    ColumnType.Int64 when value is long l => importer.WriteAsync(l, NpgsqlDbType.Bigint, cancellationToken),
                    ColumnType.Decimal when value is decimal m => importer.WriteAsync(m, NpgsqlDbType.Numeric, cancellationToken),
                    ColumnType.Double when value is double d => importer.WriteAsync(d, NpgsqlDbType.Double, cancellationToken),
                    ColumnType.Boolean when value is bool b => importer.WriteAsync(b, NpgsqlDbType.Boolean, cancellationToken),
                    // Npgsql writes timestamptz only from UTC values; the instant is what PostgreSQL keeps anyway.
                    ColumnType.Timestamp when value is DateTimeOffset t => importer.WriteAsync(t.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken),
                    // A wall clock has no zone: Npgsql writes timestamp (without zone) from a DateTime of unspecified kind as it reads.
                    ColumnType.LocalDateTime when value is DateTime wall => importer.WriteAsync(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified), NpgsqlDbType.Timestamp, cancellationToken),
                    ColumnType.Date when value is DateOnly day => importer.WriteAsync(day, NpgsqlDbType.Date, cancellationToken),
                    // json keeps an escaped U+0000 as written; jsonb refuses it.
                    ColumnType.Json when value is string text => importer.WriteAsync(sent[c] == NpgsqlDbType.Json ? PostgresText.Storable(text) : PostgresText.StorableJson(text), sent[c], cancellationToken),
                    _ => throw WrongType(schema, r, c, value),
                };
                await write.ConfigureAwait(false);
            }

            if (withArrival)
            {
                await importer.WriteAsync((long)r, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static MyBiException WrongType(TableSchema schema, int row, int column, object value)
    {
        var col = schema.Columns[column];
        return MyBiException.System(
            $"Row {row} of table {schema.Name}: column '{col.Name}' ({col.Type}) holds a {value.GetType().Name}, expected {PostgresColumnTypes.ClrName(col.Type)}.");
    }
}
