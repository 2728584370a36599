using System.Data.Common;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Destinations.Postgres.Internal;
using Npgsql;

namespace MyBi.Destinations.Postgres;

/// <summary>Settings of a PostgreSQL destination (the <c>destination</c> block of a pipeline with <c>type: postgres</c>).</summary>
public sealed class PostgresDestinationOptions
{
    /// <summary>The schema tables go to when none is configured.</summary>
    public const string DefaultSchema = "public";

    /// <summary>PostgreSQL limits identifiers to 63 bytes and silently cuts longer ones.</summary>
    internal const int MaxIdentifierBytes = 63;

    /// <summary>An Npgsql connection string: <c>Host=…;Port=…;Database=…;Username=…;Password=…</c>.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The schema that holds the tables; created when missing.</summary>
    /// <value>Defaults to <c>public</c>.</value>
    public string Schema { get; init; } = DefaultSchema;

    /// <summary>How long <see cref="PostgresDestination.CheckAsync"/> waits for the server before giving up.</summary>
    /// <value>Defaults to 5 seconds.</value>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest a <see cref="PostgresDestination.QueryAsync"/> statement may run (<c>query_timeout</c>, in seconds).</summary>
    /// <value>Defaults to 30 seconds.</value>
    public TimeSpan QueryTimeout { get; init; } = DefaultQueryTimeout;

    /// <summary>The query timeout when the pipeline sets none.</summary>
    public static readonly TimeSpan DefaultQueryTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Binds a pipeline's <c>destination</c> block: <c>connection</c> (required), <c>schema</c> and <c>query_timeout</c>
    /// (seconds) (optional).
    /// Throws a <see cref="FailureKind.Config"/> error when a value is missing or of the wrong kind.
    /// </summary>
    public static PostgresDestinationOptions FromConfig(JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var connection = ReadString(config, "connection")
            ?? throw MyBiException.Config("The postgres destination needs 'connection', e.g. \"Host=localhost;Database=analytics;Username=mybi;Password=${PG_PASSWORD}\".");
        var options = new PostgresDestinationOptions
        {
            ConnectionString = connection,
            Schema = ReadString(config, "schema") ?? DefaultSchema,
            QueryTimeout = ReadSeconds(config, "query_timeout") ?? DefaultQueryTimeout,
        };
        options.Validate();
        return options;
    }

    /// <summary>Checks the settings and throws a <see cref="FailureKind.Config"/> error naming the first problem.</summary>
    public void Validate() => _ = Parse();

    internal ParsedSettings Parse()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw MyBiException.Config("The postgres destination's 'connection' is empty; give a connection string like \"Host=localhost;Database=analytics;Username=mybi;Password=...\".");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException)
        {
            // The parser's message may quote the faulty value, which can be the password: name no value at all.
            throw MyBiException.Config("The postgres destination's 'connection' is not a valid connection string; use Key=Value pairs separated by ';' (Host, Port, Database, Username, Password).");
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw MyBiException.Config("The postgres destination's connection string has no Host; add e.g. \"Host=localhost\".");
        }

        if (string.IsNullOrWhiteSpace(Schema))
        {
            throw MyBiException.Config("The postgres destination's 'schema' is empty; leave it out to use 'public'.");
        }

        CheckIdentifier(Schema, "schema");
        if (CheckTimeout <= TimeSpan.Zero)
        {
            throw MyBiException.Config("The postgres destination's check timeout must be positive.");
        }

        if (QueryTimeout < TimeSpan.FromSeconds(1) || QueryTimeout > TimeSpan.FromDays(1))
        {
            throw MyBiException.Config("The postgres destination's 'query_timeout' must be between 1 and 86400 seconds.");
        }

        var given = GivenKeys(ConnectionString);
        if (!given.Contains("applicationname"))
        {
            builder.ApplicationName = "mybi";
        }

        // Upserts of large batches can outlast Npgsql's 30 s default on a busy server.
        if (!given.Contains("commandtimeout"))
        {
            builder.CommandTimeout = 600;
        }

        var endpoint = new PostgresEndpoint(
            builder.Host!,
            builder.Port,
            builder.Database ?? builder.Username ?? "postgres",
            builder.Username ?? Environment.UserName);
        return new ParsedSettings(builder.ConnectionString, endpoint, Schema);
    }

    /// <summary>Refuses names PostgreSQL would cut or cannot store, before they reach any statement.</summary>
    internal static void CheckIdentifier(string name, string what)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw MyBiException.Config($"The PostgreSQL {what} name '{name.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character, which PostgreSQL cannot store.");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxIdentifierBytes)
        {
            throw MyBiException.Config($"The PostgreSQL {what} name '{name}' is longer than {MaxIdentifierBytes} bytes, which PostgreSQL would silently cut; shorten it.");
        }
    }

    private static string? ReadString(JsonObject config, string key)
    {
        if (!config.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return text;
        }

        throw MyBiException.Config($"The postgres destination's '{key}' must be a string.");
    }

    private static TimeSpan? ReadSeconds(JsonObject config, string key)
    {
        if (!config.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        // A pipeline file's numbers arrive as long, a JSON document's as JsonElement: accept any whole number.
        if (node is JsonValue value && (value.TryGetValue<long>(out var seconds) || (value.TryGetValue<int>(out var small) && (seconds = small) == small))
            && seconds is >= 1 and <= 86_400)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        throw MyBiException.Config($"The postgres destination's '{key}' must be a whole number of seconds between 1 and 86400.");
    }

    private static HashSet<string> GivenKeys(string connectionString)
    {
        var plain = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (string key in plain.Keys)
        {
            keys.Add(key.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant());
        }

        return keys;
    }

    internal sealed record ParsedSettings(string ConnectionString, PostgresEndpoint Endpoint, string Schema);
}
