using System.Text.Json.Nodes;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.Postgres.Tests;

/// <summary>
/// A query reads the destination's tables and does nothing else, even when the pipeline's role is the test server's
/// superuser: no server files, no writes through another connection, no statement running past the timeout.
/// </summary>
public sealed class PostgresQueryIsolationTests : IAsyncLifetime
{
    /// <summary>Where dblink is installed when the server has none yet (an extension exists once per database).</summary>
    private const string DblinkSchema = "mybi_test_dblink";

    private readonly string _schema = PostgresTestServer.UniqueName("mybi_pgq");
    private PostgresDestination? _destination;

    private PostgresDestination Destination => _destination!;

    public async Task InitializeAsync()
    {
        _destination = Create(PostgresTestServer.ConnectionString);
        var schema = Amounts();
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, [[1L, 10m]]), WriteMode.Merge);
    }

    public async Task DisposeAsync()
    {
        if (_destination is not null)
        {
            await _destination.DisposeAsync();
        }

        await PostgresTestServer.DropSchemaAsync(_schema);
    }

    [Fact]
    public async Task QueryAsync_PgReadFileAsSuperuser_IsRefused()
    {
        Assert.Equal("on", await PostgresTestServer.AdminAsync("SELECT current_setting('is_superuser')"));

        var error = await Assert.ThrowsAsync<MyBiException>(() => Destination.QueryAsync("SELECT pg_read_file('/etc/passwd')", 10).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("pg_read_file", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_WriteThroughDblinkExec_IsRefusedAndWritesNothing()
    {
        await PostgresTestServer.AdminAsync($"CREATE SCHEMA IF NOT EXISTS {DblinkSchema}; CREATE EXTENSION IF NOT EXISTS dblink SCHEMA {DblinkSchema}");
        var dblink = (string)(await PostgresTestServer.AdminAsync("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'dblink'"))!;
        var server = PostgresTestServer.Builder();
        var target = $"{_schema}.written_by_dblink";
        var sql = $"SELECT {dblink}.dblink_exec('host={server.Host} port={server.Port} dbname={server.Database} user={server.Username}', 'CREATE TABLE {target} (a int)')";

        var error = await Assert.ThrowsAsync<MyBiException>(() => Destination.QueryAsync(sql, 10).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("password is required", error.Message, StringComparison.Ordinal);
        Assert.False(await Destination.TableExistsAsync("written_by_dblink"));
    }

    [Fact]
    public async Task QueryAsync_AsSuperuser_WarnsAndStillReadsTheTables()
    {
        var result = await Destination.QueryAsync("SELECT id, amount FROM amounts", 10);

        Assert.Equal([1L, 10m], Assert.Single(result.Rows));
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("superuser 'postgres'", warning, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', warning);
    }

    [Fact]
    public async Task QueryAsync_AsOrdinaryRole_DoesNotWarn()
    {
        await using var destination = Create(PostgresTestServer.With(b =>
        {
            b.Username = PostgresTestServer.PasswordRole;
            b.Password = PostgresTestServer.PasswordRoleSecret;
        }));

        var result = await destination.QueryAsync("SELECT 1", 10);

        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task QueryAsync_LongerThanTheQueryTimeout_IsCancelledWithAClearError()
    {
        await using var destination = new PostgresDestination(new PostgresDestinationOptions
        {
            ConnectionString = PostgresTestServer.ConnectionString,
            Schema = _schema,
            QueryTimeout = TimeSpan.FromSeconds(1),
        });

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.QueryAsync("SELECT pg_sleep(40)", 10).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("query_timeout of 1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_QueryTimeout_DefaultsTo30SecondsAndIsConfigurable()
    {
        var defaults = PostgresDestinationOptions.FromConfig(new JsonObject { ["type"] = "postgres", ["connection"] = "Host=h" });
        var set = PostgresDestinationOptions.FromConfig(new JsonObject { ["type"] = "postgres", ["connection"] = "Host=h", ["query_timeout"] = 5 });

        Assert.Equal(TimeSpan.FromSeconds(30), defaults.QueryTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), set.QueryTimeout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("\"30s\"")]
    [InlineData("1.5")]
    [InlineData("86401")]
    public void FromConfig_InvalidQueryTimeout_ThrowsConfig(string value)
    {
        var config = JsonNode.Parse($$"""{"type":"postgres","connection":"Host=h","query_timeout":{{value}}}""")!.AsObject();

        var error = Assert.Throws<MyBiException>(() => PostgresDestinationOptions.FromConfig(config));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("query_timeout", error.Message, StringComparison.Ordinal);
    }

    private PostgresDestination Create(string connectionString) =>
        new(new PostgresDestinationOptions { ConnectionString = connectionString, Schema = _schema });

    private static TableSchema Amounts() => new(
        "amounts",
        [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("amount", ColumnType.Decimal)],
        ["id"]);
}
