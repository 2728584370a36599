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

        // One error at the alias that crosses the limit, and none of the bogus "missing key" errors of a half-built tree.
        var error = Assert.Single(result.Errors);
        Assert.Equal("(yaml)", error.Path);
        Assert.Equal(9, error.Line);
        Assert.Contains("once its aliases are expanded (check anchors and aliases)", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Definition);
    }

    [Fact]
    public void Parse_DeeplyNestedLists_RefusedWithPositionInsteadOfOverflowingTheStack()
    {
        var result = TestFiles.Parse("name: t\nx: " + new string('[', 40_000));

        var error = Assert.Single(result.Errors);
        Assert.Equal("2:67: (yaml): mappings and lists are nested more than 64 levels deep", $"{error.Line}:{error.Column}: {error.Path}: {error.Message}");
    }

    [Fact]
    public void Parse_NestingAtTheLimit_Accepted()
    {
        // The root, source and config mappings are levels 1 to 3, so 61 lists inside reach exactly level 64.
        var result = TestFiles.Parse("name: t\nsource:\n  connector: c\n  config: {x: " + new string('[', 61) + new string(']', 61) + "}\ndestination: {type: duckdb}\n");

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Parse_TooManyValues_RefusedBeforeBuildingTheTree()
    {
        var result = TestFiles.Parse("name: t\nx: [" + string.Join(',', Enumerable.Repeat('1', 120_000)) + "]\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Equal("the document holds more than 100,000 values", error.Message);
    }

    [Fact]
    public void Parse_TextOverOneMebibyte_Refused()
    {
        var result = TestFiles.Parse("name: t\n# " + new string('x', PipelineParser.MaxFileBytes) + "\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("(file): the file is larger than 1 MiB; a pipeline file is a few kilobytes", $"{error.Path}: {error.Message}");
    }

    [Fact]
    public void Load_FileOverOneMebibyte_RefusedWithoutReadingItAll()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mybi-large-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(file, "name: t\n# " + new string('x', 3 * PipelineParser.MaxFileBytes) + "\n");

            var error = Assert.Single(PipelineParser.Load(file).Errors);

            Assert.Equal($"{file}:0:0: (file): the file is larger than 1 MiB; a pipeline file is a few kilobytes", error.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Parse_IntegerBeyond64Bits_WhereTheSchemaBoundsIt_PositionedError()
    {
        var result = TestFiles.Parse("name: t\nsync: {batch_size: 99999999999999999999}\nsource:\n  connector: c\n  config: {company_id: -99999999999999999999, other: 1}\ndestination: {type: duckdb}\n");

        Assert.Contains("2:20: sync.batch_size: the integer is beyond the 64-bit range (-9223372036854775808 to 9223372036854775807)", TestFiles.Describe(result.Errors));
        Assert.Contains(TestFiles.Describe(result.Errors), e => e.StartsWith("2:20: sync.batch_size: must be at most", StringComparison.Ordinal));

        var connector = result.Document!.Validate("source.config", """{"type":"object","properties":{"company_id":{"type":"integer","minimum":1}}}""");
        Assert.Contains("5:24: source.config.company_id: the integer is beyond the 64-bit range (-9223372036854775808 to 9223372036854775807)", TestFiles.Describe(connector));
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
