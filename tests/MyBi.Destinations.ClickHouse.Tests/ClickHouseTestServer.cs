using ClickHouse.Driver;
using ClickHouse.Driver.ADO;

namespace MyBi.Destinations.ClickHouse.Tests;

/// <summary>The ClickHouse server the tests run against, named by MYBI_TEST_CLICKHOUSE (a ClickHouse.Driver connection string).</summary>
internal static class ClickHouseTestServer
{
    public const string EnvironmentVariable = "MYBI_TEST_CLICKHOUSE";

    /// <summary>The connection string; fails the test with instructions when the variable is not set.</summary>
    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(value))
            {
                Assert.Fail($"{EnvironmentVariable} is not set. Start a ClickHouse server for the tests with: eval \"$(bash .ci/clickhouse.sh start)\" (it prints export {EnvironmentVariable}=...).");
            }

            return value!;
        }
    }

    public static ClickHouseClientSettings Settings => new(ConnectionString);

    /// <summary>The same server, reached through <paramref name="port"/> on 127.0.0.1 (a proxy).</summary>
    public static string ConnectionStringThrough(int port)
    {
        var builder = new ClickHouseConnectionStringBuilder(ConnectionString) { Host = "127.0.0.1", Port = (ushort)port };
        return builder.ConnectionString;
    }

    /// <summary>A database name no other test uses.</summary>
    public static string NewDatabaseName() => "mybi_test_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Runs a statement directly (not through the destination under test).</summary>
    public static async Task ExecuteAsync(string sql)
    {
        using var client = new ClickHouseClient(ConnectionString);
        await client.ExecuteNonQueryAsync(sql, null!, null!, default);
    }

    /// <summary>Runs a query directly and returns its single value.</summary>
    public static async Task<object?> ScalarAsync(string sql)
    {
        using var client = new ClickHouseClient(ConnectionString);
        return await client.ExecuteScalarAsync(sql, null!, null!, default);
    }

    public static Task DropDatabaseAsync(string database) =>
        ExecuteAsync("DROP DATABASE IF EXISTS `" + database.Replace("`", "\\`", StringComparison.Ordinal) + "`");
}
