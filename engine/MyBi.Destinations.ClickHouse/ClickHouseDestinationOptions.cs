using System.Text.Json;
using System.Text.Json.Nodes;
using ClickHouse.Driver.ADO;
using MyBi.Abstractions.Errors;
using MyBi.Destinations.ClickHouse.Internal;

namespace MyBi.Destinations.ClickHouse;

/// <summary>
/// Settings of a ClickHouse destination (the <c>destination</c> block of a pipeline with <c>type: clickhouse</c>):
/// <c>{type: clickhouse, connection: "Host=…;Port=8123;Username=…;Password=…", database: analytics, cluster: main}</c>.
/// </summary>
public sealed class ClickHouseDestinationOptions
{
    /// <summary>The database tables go to when none is configured.</summary>
    public const string DefaultDatabase = "default";

    /// <summary>The default of <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 1_000_000;

    private static readonly string[] s_knownKeys = ["type", "connection", "database", "cluster", "batch_size", "query_timeout"];

    /// <summary>A ClickHouse.Driver connection string: <c>Host=…;Port=8123;Protocol=http;Username=…;Password=…</c>.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The database that holds the tables; created when missing.</summary>
    /// <value>Defaults to <c>default</c>.</value>
    public string Database { get; init; } = DefaultDatabase;

    /// <summary>
    /// The cluster name for <c>ON CLUSTER</c> DDL; when set, each table is a <c>ReplicatedReplacingMergeTree</c>
    /// <c>&lt;table&gt;_local</c> on every node plus a <c>Distributed</c> table <c>&lt;table&gt;</c> over it.
    /// </summary>
    public string? Cluster { get; init; }

    /// <summary>
    /// The most rows one INSERT carries. A batch of up to this many rows is one INSERT, which a single server commits
    /// whole or not at all; a larger batch is split into several INSERTs (merging it again is still exact).
    /// </summary>
    /// <value>Defaults to 1,000,000.</value>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>How long <see cref="ClickHouseDestination.CheckAsync"/> waits for the server before giving up.</summary>
    /// <value>Defaults to 5 seconds.</value>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The query timeout when the pipeline sets none.</summary>
    public static readonly TimeSpan DefaultQueryTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest a <see cref="ClickHouseDestination.QueryAsync"/> statement may run (<c>query_timeout</c>, in
    /// seconds), sent as the server's <c>max_execution_time</c>.
    /// </summary>
    /// <value>Defaults to 30 seconds.</value>
    public TimeSpan QueryTimeout { get; init; } = DefaultQueryTimeout;

    /// <summary>
    /// Binds a pipeline's <c>destination</c> block: <c>connection</c> (required), <c>database</c>, <c>cluster</c>,
    /// <c>batch_size</c>, <c>query_timeout</c>. Throws a <see cref="FailureKind.Config"/> error when a value is missing or wrong.
    /// </summary>
    public static ClickHouseDestinationOptions FromConfig(JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var (key, _) in config)
        {
            if (!s_knownKeys.Contains(key, StringComparer.Ordinal))
            {
                throw MyBiException.Config($"The clickhouse destination has no setting '{key}'; it knows: connection, database, cluster, batch_size, query_timeout.");
            }
        }

        var connection = ReadString(config, "connection")
            ?? throw MyBiException.Config("The clickhouse destination needs 'connection', e.g. \"Host=localhost;Port=8123;Username=default;Password=${CLICKHOUSE_PASSWORD}\".");
        var options = new ClickHouseDestinationOptions
        {
            ConnectionString = connection,
            Database = ReadString(config, "database") ?? DatabaseOf(connection) ?? DefaultDatabase,
            Cluster = ReadString(config, "cluster"),
            BatchSize = ReadInt(config, "batch_size") ?? DefaultBatchSize,
            QueryTimeout = ReadInt(config, "query_timeout") is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultQueryTimeout,
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
            throw MyBiException.Config("The clickhouse destination's 'connection' is empty; give a connection string like \"Host=localhost;Port=8123;Username=default;Password=...\".");
        }

        ClickHouseClientSettings settings;
        try
        {
            settings = new ClickHouseClientSettings(ConnectionString);
            settings.Validate();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or OverflowException)
        {
            // The parser's message may quote the faulty value, which can be the password: name no value at all.
            throw MyBiException.Config("The clickhouse destination's 'connection' is not a valid connection string; use Key=Value pairs separated by ';' (Host, Port, Protocol, Username, Password).");
        }

        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            throw MyBiException.Config("The clickhouse destination's connection string has no Host; add e.g. \"Host=localhost\".");
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            throw MyBiException.Config("The clickhouse destination's 'database' is empty; leave it out to use 'default'.");
        }

        if (Cluster is not null && string.IsNullOrWhiteSpace(Cluster))
        {
            throw MyBiException.Config("The clickhouse destination's 'cluster' is empty; leave it out for a single server.");
        }

        if (BatchSize < 1)
        {
            throw MyBiException.Config($"The clickhouse destination's 'batch_size' must be a positive number of rows, not {BatchSize}.");
        }

        if (CheckTimeout <= TimeSpan.Zero)
        {
            throw MyBiException.Config("The clickhouse destination's check timeout must be positive.");
        }

        if (QueryTimeout < TimeSpan.FromSeconds(1) || QueryTimeout > TimeSpan.FromDays(1) || QueryTimeout.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw MyBiException.Config("The clickhouse destination's 'query_timeout' must be a whole number of seconds between 1 and 86400.");
        }

        var protocol = string.IsNullOrWhiteSpace(settings.Protocol) ? "http" : settings.Protocol;
        var port = settings.Port != 0 ? settings.Port : protocol.Equals("https", StringComparison.OrdinalIgnoreCase) ? 8443 : 8123;
        var user = string.IsNullOrWhiteSpace(settings.Username) ? "default" : settings.Username;
        return new ParsedSettings(settings, new ClickHouseEndpoint(protocol, settings.Host, port, user));
    }

    private static string? DatabaseOf(string connection)
    {
        try
        {
            var database = new ClickHouseClientSettings(connection).Database;
            return string.IsNullOrWhiteSpace(database) ? null : database;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or OverflowException)
        {
            // Validate() reports the broken connection string.
            return null;
        }
    }

    private static string? ReadString(JsonObject config, string key)
    {
        if (config[key] is not { } node || node.GetValueKind() == JsonValueKind.Null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            throw MyBiException.Config($"The clickhouse destination's '{key}' must be a string.");
        }

        return node.GetValue<string>();
    }

    private static int? ReadInt(JsonObject config, string key)
    {
        if (config[key] is not { } node || node.GetValueKind() == JsonValueKind.Null)
        {
            return null;
        }

        // A pipeline file's numbers arrive as long, a JSON document's as JsonElement: accept any whole number in range.
        var number = node.GetValueKind() == JsonValueKind.Number ? node.AsValue() : null;
        if (number is not null && number.TryGetValue<int>(out var value))
        {
            return value;
        }

        if (number is not null && number.TryGetValue<long>(out var wide) && wide is >= int.MinValue and <= int.MaxValue)
        {
            return (int)wide;
        }

        throw MyBiException.Config($"The clickhouse destination's '{key}' must be a whole number.");
    }

    internal sealed record ParsedSettings(ClickHouseClientSettings Client, ClickHouseEndpoint Endpoint);
}
