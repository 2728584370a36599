namespace MyBi.Pipelines.Tests;

public sealed class PipelineDocumentTests
{
    /// <summary>Shaped like the YCLIENTS connector's config schema: alternatives, exclusions, limits and secrets.</summary>
    private const string ConnectorSchema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "additionalProperties": false,
          "required": ["partner_token"],
          "properties": {
            "partner_token": {"type": "string", "minLength": 1, "x-secret": true},
            "user_token": {"type": "string", "minLength": 1, "x-secret": true},
            "login": {"type": "string"},
            "password": {"type": "string", "x-secret": true},
            "company_id": {"type": "integer", "minimum": 1},
            "company_ids": {"type": "array", "items": {"type": "integer"}, "minItems": 1},
            "page_size": {"type": "integer", "minimum": 1, "maximum": 300},
            "base_url": {"type": "string", "format": "uri"}
          },
          "not": {"required": ["company_id", "company_ids"]},
          "anyOf": [{"required": ["user_token"]}, {"required": ["login", "password"]}]
        }
        """;

    [Fact]
    public void Validate_ConnectorSchema_ErrorsPositionedInTheFile()
    {
        var result = TestFiles.Parse("""
            name: salon
            source:
              connector: yclients
              config:
                partner_token: abcdef
                company_id: 12x
                company_ids: [1, 2]
                page_size: 500
                paje_size: 5
                base_url: not a url
            destination: {type: duckdb}
            """);
        Assert.Empty(result.Errors);

        var errors = result.Document!.Validate("source.config", ConnectorSchema);

        Assert.Equal(
            [
                "4:3: source.config: requires user_token, or login and password",
                "4:3: source.config: cannot use company_id and company_ids together; keep one",
                "6:17: source.config.company_id: expected an integer",
                "8:16: source.config.page_size: must be at most 300",
                "9:5: source.config.paje_size: unknown key 'paje_size'; did you mean 'page_size'?",
                "10:15: source.config.base_url: expected a URL such as https://example.com/path",
            ],
            TestFiles.Describe(errors));
        Assert.All(errors, e => Assert.Equal("pipeline.yaml", e.File));
    }

    [Fact]
    public void Validate_PathMissingFromFile_ValidatedAsEmptyMappingAtNearestParent()
    {
        var result = TestFiles.Parse("name: salon\nsource:\n  connector: yclients\ndestination: {type: duckdb}\n");

        var errors = result.Document!.Validate("source.config", ConnectorSchema);

        Assert.Equal(
            [
                "2:1: source.config: requires user_token, or login and password",
                "2:1: source.config.partner_token: is required",
            ],
            TestFiles.Describe(errors));
    }

    [Fact]
    public void Validate_FilterOfOneStream_PositionsInsideTheFilter()
    {
        const string filterSchema = """{"type":"object","additionalProperties":false,"properties":{"staff_id":{"type":"array","items":{"type":"integer"}}}}""";
        var result = TestFiles.Parse("""
            name: salon
            source:
              connector: yclients
              filters:
                records: {staff_id: [1, two], status: 1}
            destination: {type: duckdb}
            """);

        var errors = result.Document!.Validate("source.filters.records", filterSchema);

        Assert.Equal(
            [
                "5:29: source.filters.records.staff_id[1]: expected an integer",
                "5:35: source.filters.records.status: unknown key 'status'; expected one of: staff_id",
            ],
            TestFiles.Describe(errors));
    }

    [Fact]
    public void Validate_SchemaThatIsNotJson_ErrorInsteadOfException()
    {
        var result = TestFiles.Parse("name: salon\nsource: {connector: yclients, config: {a: 1}}\ndestination: {type: duckdb}\n");

        var error = Assert.Single(result.Document!.Validate("source.config", "{ not json"));

        Assert.Equal((2, 31, "source.config"), (error.Line, error.Column, error.Path));
        Assert.StartsWith("cannot be checked: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SchemaWithExternalReference_RefusedWithoutFetching()
    {
        var result = TestFiles.Parse("name: salon\nsource: {connector: yclients, config: {a: 1}}\ndestination: {type: duckdb}\n");

        var error = Assert.Single(result.Document!.Validate("source.config", """{"properties":{"a":{"$ref":"http://127.0.0.1:9/schema.json"}}}"""));

        Assert.StartsWith("cannot be checked: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LocalDefinitions_Followed()
    {
        const string schema = """{"definitions":{"id":{"type":"integer"}},"properties":{"a":{"$ref":"#/definitions/id"}}}""";
        var result = TestFiles.Parse("name: salon\nsource: {connector: yclients, config: {a: x}}\ndestination: {type: duckdb}\n");

        Assert.Equal(["2:43: source.config.a: expected an integer"], TestFiles.Describe(result.Document!.Validate("source.config", schema)));
    }

    [Fact]
    public void ErrorAt_ExistingAndMissingPaths_PositionedAtNodeOrNearestParent()
    {
        var result = TestFiles.Parse("""
            name: salon
            source:
              connector: yclients
              streams: [records, clients]
            destination: {type: duckdb}
            """);
        var document = result.Document!;

        Assert.Equal("pipeline.yaml:3:14: source.connector: unknown connector", document.ErrorAt("source.connector", "unknown connector").ToString());
        Assert.Equal("pipeline.yaml:4:22: source.streams[1]: unknown stream", document.ErrorAt("source.streams[1]", "unknown stream").ToString());
        Assert.Equal("pipeline.yaml:4:3: source.streams[7]: x", document.ErrorAt("source.streams[7]", "x").ToString());
        Assert.Equal("pipeline.yaml:2:1: source.filters.records: x", document.ErrorAt("source.filters.records", "x").ToString());
        Assert.Equal("pipeline.yaml:1:1: nothing.here: x", document.ErrorAt("nothing.here", "x").ToString());
    }
}
