using System.Text.Json;

namespace MyBi.Pipelines.Tests;

public sealed class EnvironmentVariableTests
{
    private const string ConfigSchema = """
        {
          "type": "object",
          "properties": {
            "partner_token": {"type": "string", "minLength": 1},
            "company_id": {"type": "integer"}
          }
        }
        """;

    [Fact]
    public void Parse_UnsetVariables_EachPositionedAtItsReference()
    {
        var result = TestFiles.Parse("""
            name: salon
            source:
              connector: yclients
              config:
                partner_token: ${YCLIENTS_PARTNER_TOKEN}
                login: user-${LOGIN_SUFFIX}
                password: "${PASSWORD}"
            destination: {type: duckdb}
            """, TestFiles.With(("UNRELATED", "x")));

        Assert.Equal(
            [
                "5:20: source.config.partner_token: environment variable YCLIENTS_PARTNER_TOKEN is not set",
                "6:17: source.config.login: environment variable LOGIN_SUFFIX is not set",
                "7:16: source.config.password: environment variable PASSWORD is not set",
            ],
            TestFiles.Describe(result.Errors));
        Assert.Null(result.Definition);
    }

    [Fact]
    public void Validate_UnsetVariable_SchemaComplaintAboutItIsNotRepeated()
    {
        var result = TestFiles.Parse("""
            name: salon
            source:
              connector: yclients
              config: {partner_token: "${TOKEN}", company_id: "${COMPANY}"}
            destination: {type: duckdb}
            """, TestFiles.With(("COMPANY", "7")));

        var connectorErrors = result.Document!.Validate("source.config", ConfigSchema);

        Assert.Single(result.Errors);
        Assert.Equal(["4:51: source.config.company_id: expected an integer"], TestFiles.Describe(connectorErrors));
    }

    [Fact]
    public void Parse_WholeUnquotedReference_TakesTheTypeOfItsValue()
    {
        var result = TestFiles.Parse("""
            name: typing
            source:
              connector: yclients
              config:
                company_id: ${COMPANY}
                enabled: ${FLAG}
                ratio: ${RATIO}
                quoted: "${COMPANY}"
                single: '${COMPANY}'
                mixed: id-${COMPANY}
                empty: ${EMPTY}
                literal_null: ${NULL_WORD}
                fallback: ${MISSING:-42}
                fallback_text: ${MISSING:-abc}
                empty_fallback: ${EMPTY:-5}
                escaped: $${COMPANY}
            destination: {type: duckdb}
            """, TestFiles.With(("COMPANY", "123456"), ("FLAG", "true"), ("RATIO", "2.5"), ("EMPTY", ""), ("NULL_WORD", "null")));

        var config = result.Definition!.Source.Config;
        Assert.Equal(JsonValueKind.Number, config["company_id"]!.GetValueKind());
        Assert.Equal(123456L, config["company_id"]!.GetValue<long>());
        Assert.True(config["enabled"]!.GetValue<bool>());
        Assert.Equal(2.5, config["ratio"]!.GetValue<double>());
        Assert.Equal("123456", config["quoted"]!.GetValue<string>());
        Assert.Equal("123456", config["single"]!.GetValue<string>());
        Assert.Equal("id-123456", config["mixed"]!.GetValue<string>());
        Assert.Equal("", config["empty"]!.GetValue<string>());
        Assert.Equal("null", config["literal_null"]!.GetValue<string>());
        Assert.Equal(42L, config["fallback"]!.GetValue<long>());
        Assert.Equal("abc", config["fallback_text"]!.GetValue<string>());
        Assert.Equal(5L, config["empty_fallback"]!.GetValue<long>());
        Assert.Equal("${COMPANY}", config["escaped"]!.GetValue<string>());
    }

    [Fact]
    public void Validate_ReferenceThatIsNotANumber_IntegerErrorWithoutTheValue()
    {
        const string value = "not-a-number-1234";
        var result = TestFiles.Parse("""
            name: salon
            source:
              connector: yclients
              config:
                partner_token: t
                company_id: ${COMPANY}
            destination: {type: duckdb}
            """, TestFiles.With(("COMPANY", value)));

        var errors = result.Document!.Validate("source.config", ConfigSchema);

        var error = Assert.Single(errors);
        Assert.Equal("pipeline.yaml:6:17: source.config.company_id: expected an integer", error.ToString());
        Assert.DoesNotContain(value, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${}", "${...} must name an environment variable: letters, digits and '_', not starting with a digit")]
    [InlineData("${1ABC}", "${...} must name an environment variable: letters, digits and '_', not starting with a digit")]
    [InlineData("abc${TOKEN", "'${' has no closing '}'; write $${ for a literal ${")]
    public void Parse_MalformedReference_Positioned(string scalar, string message)
    {
        var result = TestFiles.Parse($"name: salon\nsource:\n  connector: yclients\n  config:\n    token: {scalar}\ndestination: {{type: duckdb}}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal((5, 12 + scalar.IndexOf('$', StringComparison.Ordinal)), (error.Line, error.Column));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_ReferenceInKey_NotExpanded()
    {
        var result = TestFiles.Parse("name: salon\nsource:\n  connector: yclients\n  config:\n    ${KEY}: 1\ndestination: {type: duckdb}\n", TestFiles.With(("KEY", "expanded")));

        Assert.True(result.Definition!.Source.Config.ContainsKey("${KEY}"));
    }
}
