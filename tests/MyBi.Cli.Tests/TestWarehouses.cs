using ClickHouse.Driver;
using Npgsql;

namespace MyBi.Cli.Tests;

/// <summary>
/// The destinations a CLI test class writes to on the suite's servers: a PostgreSQL schema or a ClickHouse database
/// named once per instance (so test classes running side by side never meet), dropped on dispose; DuckDB is a file in
/// the test's folder.
/// </summary>
internal sealed class TestWarehouses : IAsyncDisposable
{
    private readonly List<Func<Task>> _drops = [];

    public TestWarehouses(string prefix) => Unique = prefix + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The schema, database and DuckDB file name of this instance.</summary>
    public string Unique { get; }

    /// <summary>A pipeline's <c>destination:</c> block for duckdb, postgres or clickhouse.</summary>
    public string Destination(string type) => type switch
    {
        "postgres" => Postgres(),
        "clickhouse" => ClickHouse(),
        "duckdb" => $"{{type: duckdb, path: ./{Unique}.duckdb}}",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "duckdb, postgres or clickhouse"),
    };

    public string Postgres()
    {
        var connection = Required("MYBI_TEST_POSTGRES", "postgres");
        _drops.Add(() => DropPostgresSchemaAsync(connection, Unique));
        return $"{{type: postgres, connection: \"{connection}\", schema: {Unique}}}";
    }

    public string ClickHouse()
    {
        var connection = Required("MYBI_TEST_CLICKHOUSE", "clickhouse");
        _drops.Add(() => DropClickHouseDatabaseAsync(connection, Unique));
        return $"{{type: clickhouse, connection: \"{connection}\", database: {Unique}}}";
    }

    /// <summary>A server's connection string from the environment, or a failure that says how to start it.</summary>
    public static string Required(string variable, string script)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Assert.Fail($"{variable} is not set. Start the test server with: eval \"$(bash .ci/{script}.sh start)\" (it prints export {variable}=...), then run the tests again.");
        }

        return value!;
    }

    public static async Task DropPostgresSchemaAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task DropClickHouseDatabaseAsync(string connectionString, string database)
    {
        using var client = new ClickHouseClient(connectionString);
        await client.ExecuteNonQueryAsync($"DROP DATABASE IF EXISTS `{database}`", null!, null!, default);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var drop in _drops)
        {
            await drop();
        }
    }
}
