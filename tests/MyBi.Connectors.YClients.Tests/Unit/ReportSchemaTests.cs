using System.Text.Json;
using MyBi.Connectors.YClients.Reports;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class ReportSchemaTests
{
    private static readonly YClientsConnector s_connector = new();

    [Fact]
    public void ReportTypes_AllSix_WithKeyAndDateFields()
    {
        var types = s_connector.ReportTypes.ToDictionary(t => t.Name);

        Assert.Equal(["documents", "finance_transactions", "goods_transactions", "record_categories", "record_consumables", "services"], types.Keys.Order());
        Assert.All(types.Values, t => Assert.Equal("id", t.KeyField));
        Assert.Equal("create_date", types["documents"].DateField);
        Assert.Equal("create_date", types["record_consumables"].DateField);
        Assert.Equal("create_date", types["goods_transactions"].DateField);
        Assert.Equal("date", types["finance_transactions"].DateField);
        Assert.Null(types["record_categories"].DateField);
        Assert.Null(types["services"].DateField);
    }

    [Fact]
    public void ReportTypes_EveryTypeAndProperty_HasADescriptionAndCompanyId()
    {
        foreach (var type in s_connector.ReportTypes)
        {
            Assert.False(string.IsNullOrWhiteSpace(type.Description), type.Name);
            using var schema = JsonDocument.Parse(type.JsonSchema);
            var properties = schema.RootElement.GetProperty("properties");
            Assert.True(properties.TryGetProperty("company_id", out _), $"{type.Name} has no company_id");
            AssertDescribed(type.Name, properties);
        }
    }

    [Theory]
    [InlineData("finance_transactions", "account.title")]
    [InlineData("finance_transactions", "expense.id")]
    [InlineData("goods_transactions", "good.title")]
    [InlineData("documents", "type.title")]
    [InlineData("documents", "storage.title")]
    public void ReportTypes_NestedObjects_KeepDottedFields(string type, string field)
    {
        var catalog = ReportCatalog.Load(AppContext.BaseDirectory);

        Assert.Contains(field, catalog.Find(type)!.Fields);
    }

    [Theory]
    [InlineData("finance_transactions", "amount")]
    [InlineData("goods_transactions", "cost")]
    [InlineData("record_consumables", "cost")]
    [InlineData("record_consumables", "amount")]
    [InlineData("services", "price_min")]
    public void ReportTypes_Money_IsDecimal(string type, string property)
    {
        using var schema = JsonDocument.Parse(s_connector.ReportTypes.Single(t => t.Name == type).JsonSchema);

        Assert.Equal("decimal", schema.RootElement.GetProperty("properties").GetProperty(property).GetProperty("format").GetString());
    }

    [Fact]
    public void ReportTypes_FlattenedColumns_AreDistinct()
    {
        // A fixed-structure report table flattens account.title to account_title: no two fields may meet.
        foreach (var definition in ReportCatalog.Load(AppContext.BaseDirectory).Definitions)
        {
            var columns = definition.Fields.Select(f => f.Replace('.', '_')).ToList();
            Assert.True(columns.Count == columns.Distinct().Count(), $"{definition.Name}: {string.Join(", ", columns.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key))}");
        }
    }

    [Fact]
    public void Parse_KeyFieldMissingFromSchema_SystemError()
    {
        const string schema = """{"x-key-field": "uid", "properties": {"id": {"type": "integer", "description": "Id."}}}""";

        var error = Assert.Throws<MyBi.Abstractions.Errors.MyBiException>(() => ReportCatalog.Parse("broken", schema));

        Assert.Equal(MyBi.Abstractions.Errors.FailureKind.System, error.Kind);
    }

    private static void AssertDescribed(string type, JsonElement properties)
    {
        foreach (var property in properties.EnumerateObject())
        {
            Assert.True(
                property.Value.TryGetProperty("description", out var description) && description.GetString()!.Length > 3,
                $"{type}.{property.Name} has no description");
            if (property.Value.TryGetProperty("properties", out var nested))
            {
                AssertDescribed(type, nested);
            }
        }
    }
}
