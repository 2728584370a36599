namespace MyBi.Pipelines.Tests;

public sealed class SchemaRulesTests
{
    private static PipelineParseResult WithReports(string reports) => TestFiles.Parse($"""
        name: salon
        source: {"{connector: yclients}"}
        destination: {"{type: duckdb}"}
        reports:
        {reports}
        """);

    [Fact]
    public void Parse_ReportNameOf65Characters_Rejected()
    {
        var result = WithReports($"  - {{name: {new string('r', 65)}, type: services}}");

        Assert.Equal(["5:12: reports[0].name: must be at most 64 characters"], TestFiles.Describe(result.Errors));
    }

    [Fact]
    public void Parse_ReportNameOf64Characters_Accepted()
    {
        var result = WithReports($"  - {{name: {new string('r', 64)}, type: services}}");

        Assert.Empty(result.Errors);
        Assert.Equal(64, result.Definition!.Reports[0].Name.Length);
    }

    [Fact]
    public void Parse_DuplicateReportNames_EachRepeatPointsAtTheFirst()
    {
        var result = WithReports("""
              - name: Finance
                type: finance_transactions
              - name: Services
                type: services
              - name: finance
                type: documents
              - name: Services
                type: services
            """);

        Assert.Equal(
            [
                "9:11: reports[2].name: duplicate report name: reports[0].name has the same name (line 5); report names must be unique",
                "11:11: reports[3].name: duplicate report name: reports[1].name has the same name (line 7); report names must be unique",
            ],
            TestFiles.Describe(result.Errors));
    }

    [Fact]
    public void Parse_DuplicateStreams_Reported()
    {
        var result = TestFiles.Parse("""
            name: salon
            source:
              connector: yclients
              streams:
                - records
                - {name: records, transform: rules/r.js}
            destination: {type: duckdb}
            """);

        Assert.Equal(["6:14: source.streams[1].name: duplicate stream: it is already listed at source.streams[0] (line 5)"], TestFiles.Describe(result.Errors));
    }

    [Fact]
    public void Parse_UnknownDestinationKey_OneReadableErrorNotEveryVariant()
    {
        var result = TestFiles.Parse("""
            name: salon
            source: {connector: yclients}
            destination:
              type: postgres
              connection: Host=db
              shema: analytics
            """);

        Assert.Equal(["6:3: destination.shema: unknown key 'shema'; did you mean 'schema'?"], TestFiles.Describe(result.Errors));
    }

    [Fact]
    public void Parse_KeyOfAnotherDestinationType_NamesTheKeysThisTypeKnows()
    {
        var result = TestFiles.Parse("""
            name: salon
            source: {connector: yclients}
            destination:
              type: duckdb
              connection: Host=db
            """);

        Assert.Equal(["5:3: destination.connection: unknown key 'connection'; expected one of: type, path, memory_limit, threads"], TestFiles.Describe(result.Errors));
    }

    [Theory]
    [InlineData("type: mysql", "5:9: destination.type: must be one of: duckdb, postgres, clickhouse")]
    [InlineData("path: x.duckdb", "4:1: destination.type: is required; one of: duckdb, postgres, clickhouse")]
    [InlineData("type: clickhouse\n  database: 1st", "4:1: destination.connection: is required|6:13: destination.database: must be a plain identifier: letters, digits and '_', not starting with a digit")]
    [InlineData("type: postgres\n  connection: Host=db\n  schema: x", "")]
    public void Parse_DestinationVariants_ReadableErrors(string block, string expected)
    {
        var result = TestFiles.Parse($"name: salon\nsource: {{connector: yclients}}\n\ndestination:\n  {block}\n");

        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), TestFiles.Describe(result.Errors));
    }

    [Theory]
    [InlineData("sync: {batch_size: 0}", "sync.batch_size: must be at least 1")]
    [InlineData("sync: {batch_size: 1.5}", "sync.batch_size: expected an integer")]
    [InlineData("sync: {batch_size: '100'}", "sync.batch_size: expected an integer")]
    [InlineData("rules: {timeout_ms: 0}", "rules.timeout_ms: must be at least 1")]
    [InlineData("rules: {max_memory_mb: 100000}", "rules.max_memory_mb: must be at most 4096")]
    [InlineData("plan: {rows_per_month: yes}", "plan.rows_per_month: expected an integer")]
    [InlineData("plan: []", "plan: expected a mapping")]
    [InlineData("reports: [{name: r, type: services, on_error: skip}]", "reports[0].on_error: must be one of: fail, quarantine")]
    [InlineData("reports: [{name: r, type: services, fields: [id, id]}]", "reports[0].fields: must not list the same value twice")]
    [InlineData("reports: [{name: '', type: services}]", "reports[0].name: must not be empty")]
    [InlineData("reports: [{type: services}]", "reports[0].name: is required")]
    [InlineData("plugins_dir: ''", "plugins_dir: must not be empty")]
    public void Parse_OptionalBlockMistakes_ShortMessages(string line, string expected)
    {
        var result = TestFiles.Parse($"name: salon\nsource: {{connector: yclients}}\ndestination: {{type: duckdb}}\n{line}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(expected, $"{error.Path}: {error.Message}");
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Parse_StreamItems_StringOrMappingWithName()
    {
        var result = TestFiles.Parse("""
            name: salon
            source:
              connector: yclients
              streams:
                - records
                - nam: clients
                - 5
            destination: {type: duckdb}
            """);

        Assert.Equal(
            [
                "6:7: source.streams[1].name: is required",
                "6:7: source.streams[1].nam: unknown key 'nam'; did you mean 'name'?",
                "7:7: source.streams[2]: expected a string or a mapping",
            ],
            TestFiles.Describe(result.Errors));
    }

    [Fact]
    public void Parse_DuplicateKey_ReportedAtTheRepeat()
    {
        var result = TestFiles.Parse("name: a\nsource: {connector: yclients}\ndestination: {type: duckdb}\nname: b\n");

        Assert.Equal(["4:1: (yaml): duplicate key 'name'"], TestFiles.Describe(result.Errors));
    }

    [Fact]
    public void Parse_ErrorMessages_NeverQuoteValues()
    {
        const string secret = "Sup3rSecretValue";
        var result = TestFiles.Parse($"""
            name: {secret}
            source: {"{connector: '" + secret + "', config: '" + secret + "'}"}
            destination: {"{type: '" + secret + "', path: 5}"}
            plan: {"{history_days: '" + secret + "'}"}
            reports: [{"{name: r, type: '" + secret + "'}"}]
            """);

        Assert.True(result.Errors.Count >= 5);
        Assert.All(result.Errors, e => Assert.DoesNotContain(secret, e.ToString(), StringComparison.OrdinalIgnoreCase));
    }
}
