using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;

namespace MyBi.Destinations.Postgres.Tests;

public sealed class PostgresDestinationOptionsTests
{
    [Fact]
    public void Create_ConfigBlock_BindsConnectionAndSchemaIntoDisplayNameWithoutPassword()
    {
        var config = new JsonObject
        {
            ["type"] = "postgres",
            ["connection"] = "Host=db.example.com;Port=6543;Database=analytics;Username=mybi;Password=s3cret-Value",
            ["schema"] = "yclients",
        };

        var destination = new PostgresDestinationProvider().Create(config, "/tmp");

        Assert.Equal("postgres db.example.com:6543/analytics schema yclients", destination.DisplayName);
        Assert.Equal("postgres", new PostgresDestinationProvider().Type);
    }

    [Fact]
    public void FromConfig_NoSchema_UsesPublic()
    {
        var options = PostgresDestinationOptions.FromConfig(new JsonObject { ["connection"] = "Host=localhost" });

        Assert.Equal("public", options.Schema);
    }

    [Theory]
    [InlineData("{}", "needs 'connection'")]
    [InlineData("{\"connection\": \"\"}", "is empty")]
    [InlineData("{\"connection\": 5}", "must be a string")]
    [InlineData("{\"connection\": \"Database=x\"}", "has no Host")]
    [InlineData("{\"connection\": \"Host=h\", \"schema\": \" \"}", "'schema' is empty")]
    public void FromConfig_InvalidBlock_ConfigErrorSayingWhat(string json, string expected)
    {
        var error = Assert.Throws<MyBiException>(() => PostgresDestinationOptions.FromConfig(JsonNode.Parse(json)!.AsObject()));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnparsableConnectionString_ConfigErrorWithoutItsValues()
    {
        var options = new PostgresDestinationOptions { ConnectionString = "Host=h;Password=hunter2-secret;Port=notanumber" };

        var error = Assert.Throws<MyBiException>(options.Validate);

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.DoesNotContain("hunter2-secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("notanumber", error.Message, StringComparison.Ordinal);
    }
}
