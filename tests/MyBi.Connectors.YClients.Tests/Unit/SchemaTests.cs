using System.Text.Json;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class SchemaTests
{
    private static readonly YClientsConnector s_connector = new();

    [Fact]
    public void ConfigSchema_DeclaresExactlyTheSupportedKeys()
    {
        using var schema = JsonDocument.Parse(s_connector.ConfigSchema);
        var keys = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToArray();

        Assert.Equal(
            ["base_url", "company_id", "company_ids", "documents", "first_run_days", "login", "lookback_days", "max_response_mb", "max_retries", "max_text_length", "page_size",
             "partner_token", "password", "requests_per_minute", "requests_per_second", "timeout_seconds", "user_token"],
            keys);
        Assert.False(schema.RootElement.GetProperty("additionalProperties").GetBoolean());
    }

    [Theory]
    [InlineData("partner_token")]
    [InlineData("user_token")]
    [InlineData("password")]
    public void ConfigSchema_Secrets_AreMarked(string key)
    {
        using var schema = JsonDocument.Parse(s_connector.ConfigSchema);

        Assert.True(schema.RootElement.GetProperty("properties").GetProperty(key).GetProperty("x-secret").GetBoolean());
    }

    [Fact]
    public void Streams_AllFourteen_WithKeysCursorsAndParents()
    {
        var streams = s_connector.Streams.ToDictionary(s => s.Name);

        Assert.Equal(StreamNames.All.Order(), streams.Keys.Order());
        Assert.Equal(["record_id", "service_id"], streams["record_services"].PrimaryKey);
        Assert.Equal("records", streams["record_services"].Parent);
        Assert.Equal("records", streams["visits"].Parent);
        Assert.Equal("last_change_date", streams["records"].CursorField);
        Assert.Null(streams["services"].CursorField);
        Assert.Equal(["company_id", "id"], streams["clients"].PrimaryKey);
    }

    [Fact]
    public void Streams_EveryPropertyAndStream_HasADescription()
    {
        foreach (var stream in s_connector.Streams)
        {
            Assert.False(string.IsNullOrWhiteSpace(stream.Description), stream.Name);
            using var schema = JsonDocument.Parse(stream.JsonSchema);
            AssertDescribed(stream.Name, schema.RootElement.GetProperty("properties"));
        }
    }

    [Fact]
    public void Streams_EveryRowCarriesCompanyIdAndPrimaryKeyColumnsExist()
    {
        var catalog = StreamCatalog.Load(AppContext.BaseDirectory);
        foreach (var definition in catalog.Definitions)
        {
            Assert.Contains("company_id", definition.Columns);
            Assert.All(definition.Descriptor.PrimaryKey, key => Assert.Contains(key, definition.Columns));
            Assert.Equal(definition.Columns.Count, definition.Columns.Distinct().Count());
        }
    }

    [Theory]
    [InlineData("record_services", "cost")]
    [InlineData("record_services", "first_cost")]
    [InlineData("finance_transactions", "amount")]
    [InlineData("clients", "spent")]
    public void Streams_Money_IsDecimal(string stream, string property)
    {
        using var schema = JsonDocument.Parse(s_connector.Streams.Single(s => s.Name == stream).JsonSchema);

        Assert.Equal("decimal", schema.RootElement.GetProperty("properties").GetProperty(property).GetProperty("format").GetString());
    }

    [Fact]
    public void Streams_NestedObjects_FlattenToApiLikeNames()
    {
        var catalog = StreamCatalog.Load(AppContext.BaseDirectory);

        Assert.Contains("client_id", catalog["records"].Columns);
        Assert.Contains("staff_name", catalog["records"].Columns);
        Assert.Contains("staff_position_title", catalog["records"].Columns);
        Assert.Contains("expense_title", catalog["finance_transactions"].Columns);
    }

    private static void AssertDescribed(string stream, JsonElement properties)
    {
        foreach (var property in properties.EnumerateObject())
        {
            Assert.True(
                property.Value.TryGetProperty("description", out var description) && description.GetString()!.Length > 3,
                $"{stream}.{property.Name} has no description");
            if (property.Value.TryGetProperty("properties", out var nested))
            {
                AssertDescribed(stream, nested);
            }
        }
    }
}
