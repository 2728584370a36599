using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Normalization;
using MyBi.Engine.Schema;

namespace MyBi.Engine.Tests.Normalization;

/// <summary>Integer ids beyond Int64 or decimal are a reason, never an unhandled overflow.</summary>
public sealed class UnusableKeyTests
{
    private static readonly CompiledStream s_items = StreamSchemaCompiler.Compile(new StreamDescriptor
    {
        Name = "items",
        JsonSchema = """{ "type": "object", "properties": { "id": { "type": "integer" }, "name": { "type": "string" } } }""",
        PrimaryKey = ["id"],
    });

    [Theory]
    [InlineData("\"12345678901234567890\"", "out of the 64-bit range")]
    [InlineData("12345678901234567890", "out of the 64-bit range")]
    [InlineData("1e30", "out of range")]
    [InlineData("1.5", "not an integer")]
    [InlineData("\"abc\"", "not an integer")]
    [InlineData("null", "has no value")]
    public void KeyProblem_NamesTheReason(string id, string reason)
    {
        var row = new JsonObject { ["id"] = JsonNode.Parse(id) };
        Assert.Contains(reason, RecordNormalizer.KeyProblem(s_items, row), StringComparison.Ordinal);
    }

    [Fact]
    public void KeyProblem_MissingKey_HasNoValue() =>
        Assert.Contains("has no value", RecordNormalizer.KeyProblem(s_items, new JsonObject { ["name"] = "x" }), StringComparison.Ordinal);

    [Theory]
    [InlineData("\"560031877\"")]
    [InlineData("560031877")]
    [InlineData("\"560031877.00\"")]
    public void KeyProblem_UsableIds_None(string id) =>
        Assert.Null(RecordNormalizer.KeyProblem(s_items, new JsonObject { ["id"] = JsonNode.Parse(id) }));

    [Theory]
    [InlineData("\"12345678901234567890\"")]
    [InlineData("1e30")]
    public void Convert_OutOfRangeInteger_IsFormatException(string json) =>
        Assert.Throws<FormatException>(() => LenientValue.Parse(JsonNode.Parse(json), ColumnType.Int64));

    [Fact]
    public void Convert_NumberBeyondDecimal_IsFormatException() =>
        Assert.Throws<FormatException>(() => LenientValue.Parse(JsonNode.Parse("1e30"), ColumnType.Decimal));
}
