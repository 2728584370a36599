namespace MyBi.Pipelines.Tests;

public sealed class SecretValuesTests
{
    [Fact]
    public void Parse_EnvironmentValuesAndSecretKeys_Collected()
    {
        var result = TestFiles.Parse("""
            name: salon
            source:
              connector: yclients
              config:
                partner_token: ${TOKEN}
                user_token: literal-user-token
                login: ${LOGIN}
                short: ${SHORT}
            destination:
              type: postgres
              connection: Host=db;Username=mybi;Password=literal-pg-pass
            """, TestFiles.With(("TOKEN", "env-token-value"), ("LOGIN", "79161234567"), ("SHORT", "abc")));

        var secrets = result.Definition!.SecretValues;

        Assert.Contains("env-token-value", secrets);
        Assert.Contains("79161234567", secrets);
        Assert.Contains("Host=db;Username=mybi;Password=literal-pg-pass", secrets);
        Assert.Contains("literal-pg-pass", secrets);
        Assert.DoesNotContain("abc", secrets);
        Assert.DoesNotContain("literal-user-token", secrets);
        Assert.DoesNotContain("Host=db", secrets);
    }

    [Fact]
    public void SecretValues_SchemaMarkingSecrets_ReturnsTheirValuesAndValidateChangesNothing()
    {
        const string schema = """
            {"type":"object","properties":{
              "user_token":{"type":"string","x-secret":true},
              "nested":{"type":"object","properties":{"key":{"type":"string","x-secret":true}}},
              "list":{"type":"array","items":{"type":"string","x-secret":true}},
              "login":{"type":"string"}}}
            """;
        var result = TestFiles.Parse("""
            name: salon
            source:
              connector: yclients
              config:
                user_token: literal-user-token
                nested: {key: nested-secret}
                list: [first-secret, second-secret]
                login: visible-login
            destination: {type: duckdb}
            """);
        var definition = result.Definition!;
        Assert.DoesNotContain("literal-user-token", definition.SecretValues);

        Assert.Empty(result.Document!.Validate("source.config", schema));
        Assert.DoesNotContain("literal-user-token", definition.SecretValues);

        var secrets = result.Document.SecretValues("source.config", schema);

        Assert.Contains("literal-user-token", secrets);
        Assert.Contains("nested-secret", secrets);
        Assert.Contains("first-secret", secrets);
        Assert.Contains("second-secret", secrets);
        Assert.DoesNotContain("visible-login", secrets);
    }

    [Fact]
    public void Parse_ClickHouseConnectionFromEnvironment_WholeAndPasswordCollected()
    {
        var result = TestFiles.Parse("""
            name: salon
            source: {connector: yclients}
            destination: {type: clickhouse, connection: "${CH}"}
            """, TestFiles.With(("CH", "Host=ch;Password='quoted pass'")));

        Assert.Contains("Host=ch;Password='quoted pass'", result.Definition!.SecretValues);
        Assert.Contains("quoted pass", result.Definition.SecretValues);
    }
}
