using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;

namespace MyBi.Destinations.ClickHouse.Tests;

/// <summary>A query reads the destination's tables and nothing else, and does not run past its timeout.</summary>
public sealed class ClickHouseQueryIsolationTests : IAsyncLifetime
{
    private readonly string _database = ClickHouseTestServer.NewDatabaseName();
    private readonly List<IAsyncDisposable> _disposables = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        await ClickHouseTestServer.DropDatabaseAsync(_database);
    }

    [Theory]
    [InlineData("SELECT * FROM file('/etc/passwd', 'LineAsString')")]
    [InlineData("SELECT * FROM url('http://127.0.0.1:1/x.csv', 'CSV', 'a String')")]
    [InlineData("SELECT * FROM file('/etc/passwd', 'LineAsString') SETTINGS readonly = 0")]
    [InlineData("SELECT sleep(3) SETTINGS max_execution_time = 0")]
    public async Task QueryAsync_FilesUrlsAndLiftedLimits_AreRefused(string sql)
    {
        var destination = NewDestination();
        await destination.CheckAsync();

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.QueryAsync(sql, 10).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.DoesNotContain("root:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_LongerThanTheQueryTimeout_IsCancelledWithAClearError()
    {
        var destination = NewDestination(TimeSpan.FromSeconds(1));
        await destination.CheckAsync();

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.QueryAsync("SELECT sleep(3)", 10).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("query_timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_QueryTimeout_DefaultsTo30SecondsAndIsConfigurable()
    {
        var defaults = ClickHouseDestinationOptions.FromConfig(new JsonObject { ["type"] = "clickhouse", ["connection"] = "Host=h" });
        var set = ClickHouseDestinationOptions.FromConfig(new JsonObject { ["type"] = "clickhouse", ["connection"] = "Host=h", ["query_timeout"] = 5 });

        Assert.Equal(TimeSpan.FromSeconds(30), defaults.QueryTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), set.QueryTimeout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("\"30s\"")]
    [InlineData("86401")]
    public void FromConfig_InvalidQueryTimeout_ThrowsConfig(string value)
    {
        var config = JsonNode.Parse($$"""{"type":"clickhouse","connection":"Host=h","query_timeout":{{value}}}""")!.AsObject();

        var error = Assert.Throws<MyBiException>(() => ClickHouseDestinationOptions.FromConfig(config));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("query_timeout", error.Message, StringComparison.Ordinal);
    }

    private ClickHouseDestination NewDestination(TimeSpan? queryTimeout = null)
    {
        var destination = new ClickHouseDestination(new ClickHouseDestinationOptions
        {
            ConnectionString = ClickHouseTestServer.ConnectionString,
            Database = _database,
            QueryTimeout = queryTimeout ?? ClickHouseDestinationOptions.DefaultQueryTimeout,
        });
        _disposables.Add(destination);
        return destination;
    }
}
