using System.Globalization;
using DuckDB.NET.Data;
using MyBi.Abstractions.Errors;

namespace MyBi.Destinations.DuckDb.Internal;

/// <summary>
/// Fixes the database instance's settings once and then locks them. The engine needs nothing outside the database
/// file, so external access (file and URL readers such as <c>read_text</c>, <c>read_csv</c>, <c>glob</c>,
/// ATTACH and COPY) is switched off and extensions are never installed or loaded on demand: a
/// <c>mybi query</c> then reaches the warehouse's own tables and nothing else of the machine.
/// </summary>
/// <remarks>
/// The settings are global, not per connection, because DuckDB.NET shares one database instance per file within
/// a process; a connection that finds the instance already locked checks that it was locked this way.
/// </remarks>
internal static class DuckDbLockdown
{
    public static void Apply(DuckDBConnection connection, DuckDbDestinationOptions options)
    {
        if (Setting(connection, "lock_configuration") == "true")
        {
            if (Setting(connection, "enable_external_access") != "false")
            {
                throw MyBiException.System($"The DuckDB file '{options.Path}' is open in this process with external access on and its settings locked; close the other connection first.");
            }

            return;
        }

        // Instants are stored as UTC; a UTC session also makes casts of them in queries predictable.
        Execute(connection, "SET GLOBAL TimeZone = 'UTC'");
        Execute(connection, $"SET GLOBAL memory_limit = '{options.MemoryLimit}'");
        Execute(connection, string.Create(CultureInfo.InvariantCulture, $"SET GLOBAL threads = {options.Threads}"));
        // A checkpoint rewrites the last, partly filled row group of every table it touches (up to 122,880 rows,
        // compressed anew): at the default 16 MB of WAL a load of wide rows checkpoints every few batches and
        // spends about a third of its time there. Checkpointing every 256 MB keeps that to a few per large load;
        // the WAL is replayed after a crash either way.
        Execute(connection, "SET GLOBAL checkpoint_threshold = '256MiB'");
        Execute(connection, "SET GLOBAL autoinstall_known_extensions = false");
        Execute(connection, "SET GLOBAL autoload_known_extensions = false");
        Execute(connection, "SET GLOBAL enable_external_access = false");
        Execute(connection, "SET GLOBAL lock_configuration = true");
    }

    private static string? Setting(DuckDBConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM duckdb_settings() WHERE name = $name";
        command.Parameters.Add(new DuckDBParameter("name", name));
        return (command.ExecuteScalar() as string)?.ToLowerInvariant();
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
