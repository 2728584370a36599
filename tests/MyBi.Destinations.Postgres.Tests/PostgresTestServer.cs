using Npgsql;

namespace MyBi.Destinations.Postgres.Tests;

/// <summary>
/// The PostgreSQL server the tests run against, named by <c>MYBI_TEST_POSTGRES</c>. Without it the tests fail
/// (they never skip) and say how to start one.
/// </summary>
internal static class PostgresTestServer
{
    public const string EnvironmentVariable = "MYBI_TEST_POSTGRES";

    /// <summary>The role <c>.ci/postgres.sh</c> creates, which must give its password over TCP.</summary>
    public const string PasswordRole = "mybi_password_test";

    public const string PasswordRoleSecret = "mybi-test-password";

    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new InvalidOperationException(
                    $"{EnvironmentVariable} is not set. Start the test server with: eval \"$(bash .ci/postgres.sh start)\" " +
                    "(or run 'bash .ci/postgres.sh start' and export the line it prints), then run the tests again.");
            }

            return value;
        }
    }

    public static NpgsqlConnectionStringBuilder Builder() => new(ConnectionString);

    /// <summary>A connection string to the same server with some settings changed.</summary>
    public static string With(Action<NpgsqlConnectionStringBuilder> change)
    {
        var builder = Builder();
        change(builder);
        return builder.ConnectionString;
    }

    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    /// <summary>Runs SQL as the test server's own user, outside any destination.</summary>
    public static async Task<object?> AdminAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(With(b => b.Pooling = false));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync();
    }

    public static Task DropSchemaAsync(string schema) =>
        AdminAsync($"DROP SCHEMA IF EXISTS \"{schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\" CASCADE");
}
