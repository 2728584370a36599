using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;

namespace MyBi.Pipelines.Tests;

public sealed class PipelineFileWriterTests
{
    private static PipelineFileContent Content(string type, JsonObject? source = null, string name = "salon") => new()
    {
        Name = name,
        Connector = "yclients",
        SourceConfig = source ?? new JsonObject { ["base_url"] = "http://127.0.0.1:5080/api/v1", ["company_id"] = 100001 },
        SourceSecrets = new Dictionary<string, string> { ["partner_token"] = "YCLIENTS_PARTNER_TOKEN", ["user_token"] = "YCLIENTS_USER_TOKEN" },
        Streams = ["records", "staff"],
        Destination = type == "duckdb" ? new JsonObject { ["type"] = type, ["path"] = "salon.duckdb" } : new JsonObject { ["type"] = type },
        DestinationSecrets = type == "duckdb" ? new Dictionary<string, string>() : new Dictionary<string, string> { ["connection"] = "YCLIENTS_DESTINATION_CONNECTION" },
        Comments = ["made by a test"],
    };

    private static PipelineParseResult Load(string yaml) =>
        PipelineParser.Parse(yaml, "written.yaml", Path.GetTempPath(), name => name.StartsWith("YCLIENTS_", StringComparison.Ordinal) ? "value-of-" + name : null);

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    [InlineData("clickhouse")]
    public void Write_EachDestinationType_LoadsBackAsTheSameSettings(string type)
    {
        var yaml = PipelineFileWriter.Write(Content(type));

        var result = Load(yaml);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        var definition = result.Definition!;
        Assert.Equal("salon", definition.Name);
        Assert.Equal("http://127.0.0.1:5080/api/v1", definition.Source.Config["base_url"]!.GetValue<string>());
        Assert.Equal(100001, definition.Source.Config["company_id"]!.GetValue<long>());
        Assert.Equal("value-of-YCLIENTS_USER_TOKEN", definition.Source.Config["user_token"]!.GetValue<string>());
        Assert.Equal(["records", "staff"], definition.Source.Streams.Select(s => s.Name));
        Assert.Equal(type, definition.Destination.Type);
        Assert.Contains("user_token: ${YCLIENTS_USER_TOKEN}", yaml, StringComparison.Ordinal);
        Assert.StartsWith("# made by a test\n", yaml.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        if (type != "duckdb")
        {
            Assert.Equal("value-of-YCLIENTS_DESTINATION_CONNECTION", definition.Destination.Config["connection"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Write_TextsThatYamlWouldReadOtherwise_ReadBackAsTheSameText()
    {
        string[] texts = ["007", "true", "null", "it's", "${NOT_A_REFERENCE}", "a: b", "- x", "#hash", " padded ", "", "1e3", "~"];
        var source = new JsonObject();
        for (var i = 0; i < texts.Length; i++)
        {
            source[$"k{i}"] = texts[i];
        }

        var result = Load(PipelineFileWriter.Write(Content("duckdb", source)));

        Assert.True(result.Success, string.Join("\n", result.Errors));
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(texts[i], result.Definition!.Source.Config[$"k{i}"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Write_ValueWithLineBreak_SystemErrorInsteadOfAForgedLine()
    {
        var error = Assert.Throws<MyBiException>(() => PipelineFileWriter.Write(Content("duckdb", new JsonObject { ["login"] = "x\ndestination: {}" })));

        Assert.Equal(FailureKind.System, error.Kind);
    }

    [Fact]
    public void Write_NameThePipelineSchemaRefuses_SystemErrorNamingTheRule()
    {
        var error = Assert.Throws<MyBiException>(() => PipelineFileWriter.Write(Content("duckdb", name: "Salon One")));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("name: may contain only lowercase letters, digits, '_' and '-'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DestinationSettings_FromThePipelineSchema_ConnectionRequiredAndSecretForServers()
    {
        var postgres = PipelineFileWriter.DestinationSettings("postgres");
        var duckdb = PipelineFileWriter.DestinationSettings("duckdb");

        var connection = Assert.Single(postgres, s => s.Required);
        Assert.Equal("connection", connection.Key);
        Assert.True(connection.Secret);
        Assert.DoesNotContain(duckdb, s => s.Required);
        Assert.Contains(duckdb, s => s.Key == "path" && !s.Secret);
        Assert.Equal(FailureKind.Config, Assert.Throws<MyBiException>(() => PipelineFileWriter.DestinationSettings("bigquery")).Kind);
    }

    [Theory]
    [InlineData("yclients", "user_token", "YCLIENTS_USER_TOKEN")]
    [InlineData("my.echo-1", "destination_connection", "MY_ECHO_1_DESTINATION_CONNECTION")]
    public void VariableName_UpperCaseWithUnderscores(string prefix, string key, string expected) =>
        Assert.Equal(expected, PipelineFileWriter.VariableName(prefix, key));
}
