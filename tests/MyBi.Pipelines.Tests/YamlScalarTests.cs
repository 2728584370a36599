using System.Text.Json;

namespace MyBi.Pipelines.Tests;

public sealed class YamlScalarTests
{
    [Theory]
    [InlineData("42", JsonValueKind.Number, "42")]
    [InlineData("-7", JsonValueKind.Number, "-7")]
    [InlineData("0x1F", JsonValueKind.Number, "31")]
    [InlineData("0o17", JsonValueKind.Number, "15")]
    [InlineData("1.5", JsonValueKind.Number, "1.5")]
    [InlineData("1e3", JsonValueKind.Number, "1000")]
    [InlineData("true", JsonValueKind.True, "true")]
    [InlineData("False", JsonValueKind.False, "false")]
    [InlineData("~", JsonValueKind.Null, "null")]
    [InlineData("null", JsonValueKind.Null, "null")]
    [InlineData("", JsonValueKind.Null, "null")]
    [InlineData("yes", JsonValueKind.String, "\"yes\"")]
    [InlineData("on", JsonValueKind.String, "\"on\"")]
    [InlineData("012", JsonValueKind.Number, "12")]
    [InlineData("1_000", JsonValueKind.String, "\"1_000\"")]
    [InlineData("\"42\"", JsonValueKind.String, "\"42\"")]
    [InlineData("'true'", JsonValueKind.String, "\"true\"")]
    [InlineData("!!str 42", JsonValueKind.String, "\"42\"")]
    [InlineData("99999999999999999999", JsonValueKind.Number, "99999999999999999999")]
    public void Parse_Scalar_TypedByYaml12CoreSchema(string yaml, JsonValueKind kind, string json)
    {
        var result = TestFiles.Parse($"name: t\nsource:\n  connector: c\n  config:\n    value: {yaml}\ndestination: {{type: duckdb}}\n");

        var config = result.Definition!.Source.Config;
        Assert.True(config.ContainsKey("value"));
        Assert.Equal(kind, config["value"]?.GetValueKind() ?? JsonValueKind.Null);
        Assert.Equal(json, config["value"]?.ToJsonString() ?? "null");
    }

    [Fact]
    public void Parse_InfiniteFloat_Rejected()
    {
        var error = Assert.Single(TestFiles.Parse("name: t\nsource:\n  connector: c\n  config: {value: .inf}\ndestination: {type: duckdb}\n").Errors);

        Assert.Equal("4:19: source.config.value: infinite and NaN numbers are not supported", $"{error.Line}:{error.Column}: {error.Path}: {error.Message}");
    }

    [Fact]
    public void Parse_AliasBomb_StopsWithAnError()
    {
        var lines = new List<string> { "name: t", "source:", "  connector: c", "  config:", "    a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i <= 8; i++)
        {
            lines.Add($"    a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }

        lines.Add("destination: {type: duckdb}");

        var result = TestFiles.Parse(string.Join('\n', lines));

        Assert.Contains(result.Errors, e => e.Message.StartsWith("the document is nested or repeated too deeply", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_AnchorsAndAliases_ValuesRepeated()
    {
        var result = TestFiles.Parse("""
            name: t
            source:
              connector: c
              filters:
                records: &f {staff_id: [1]}
                visits: *f
            destination: {type: duckdb}
            """);

        var filters = result.Definition!.Source.Filters;
        Assert.Equal(filters["records"].ToJsonString(), filters["visits"].ToJsonString());
        Assert.NotSame(filters["records"], filters["visits"]);
    }
}
