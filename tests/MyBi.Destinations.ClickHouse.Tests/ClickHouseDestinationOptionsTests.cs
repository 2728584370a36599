using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;

namespace MyBi.Destinations.ClickHouse.Tests;

public sealed class ClickHouseDestinationOptionsTests
{
    private const string Secret = "s3cr3t-Pa55";

    [Fact]
    public void FromConfig_FullBlock_BindsEverySetting()
    {
        var options = ClickHouseDestinationOptions.FromConfig(JsonNode.Parse(
            """{"type": "clickhouse", "connection": "Host=ch.local;Port=8123", "database": "yclients", "cluster": "main", "batch_size": 50000}""")!.AsObject());

        Assert.Equal("Host=ch.local;Port=8123", options.ConnectionString);
        Assert.Equal("yclients", options.Database);
        Assert.Equal("main", options.Cluster);
        Assert.Equal(50_000, options.BatchSize);
    }

    [Fact]
    public void FromConfig_OnlyConnection_UsesDefaults()
    {
        var options = ClickHouseDestinationOptions.FromConfig(new JsonObject { ["connection"] = "Host=localhost" });

        Assert.Equal("default", options.Database);
        Assert.Null(options.Cluster);
        Assert.Equal(ClickHouseDestinationOptions.DefaultBatchSize, options.BatchSize);
    }

    [Fact]
    public void FromConfig_DatabaseOnlyInConnectionString_UsesIt()
    {
        var options = ClickHouseDestinationOptions.FromConfig(new JsonObject { ["connection"] = "Host=localhost;Database=analytics" });

        Assert.Equal("analytics", options.Database);
    }

    [Theory]
    [InlineData("""{"database": "x"}""", "needs 'connection'")]
    [InlineData("""{"connection": ""}""", "'connection' is empty")]
    [InlineData("""{"connection": "Host=h;Port=8123;garbage"}""", "not a valid connection string")]
    [InlineData("""{"connection": "Host=h", "schema": "x"}""", "no setting 'schema'")]
    [InlineData("""{"connection": "Host=h", "database": " "}""", "'database' is empty")]
    [InlineData("""{"connection": "Host=h", "cluster": ""}""", "'cluster' is empty")]
    [InlineData("""{"connection": "Host=h", "batch_size": 0}""", "'batch_size' must be a positive")]
    [InlineData("""{"connection": "Host=h", "batch_size": "many"}""", "'batch_size' must be a whole number")]
    [InlineData("""{"connection": 42}""", "'connection' must be a string")]
    public void FromConfig_InvalidBlock_ThrowsConfigNamingTheProblem(string json, string expected)
    {
        var error = Assert.Throws<MyBiException>(() => ClickHouseDestinationOptions.FromConfig(JsonNode.Parse(json)!.AsObject()));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_BrokenConnectionStringWithPassword_MessageHidesThePassword()
    {
        var error = Assert.Throws<MyBiException>(() => ClickHouseDestinationOptions.FromConfig(
            new JsonObject { ["connection"] = $"Host=h;Password={Secret};{Secret}" }));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DisplayName_ConnectionWithPassword_ShowsHostPortAndDatabaseOnly()
    {
        var destination = new ClickHouseDestination(new ClickHouseDestinationOptions
        {
            ConnectionString = $"Host=ch.example.org;Port=8124;Username=loader;Password={Secret}",
            Database = "yclients",
        });

        Assert.Equal("clickhouse://ch.example.org:8124/yclients", destination.DisplayName);
    }

    [Fact]
    public void Provider_TypeAndCreate_MakeAClickHouseDestination()
    {
        var provider = new ClickHouseDestinationProvider();

        var destination = provider.Create(new JsonObject { ["type"] = "clickhouse", ["connection"] = "Host=h;Port=9", ["database"] = "d" }, "/tmp");

        Assert.Equal("clickhouse", provider.Type);
        Assert.IsType<ClickHouseDestination>(destination);
        Assert.Equal("clickhouse://h:9/d", destination.DisplayName);
    }
}
