using System.Text.Json.Nodes;

namespace MyBi.Pipelines.Tests;

public sealed class PipelineParserTests
{
    [Fact]
    public void Load_FullExample_BindsEveryBlock()
    {
        var file = Path.Combine(TestFiles.Examples, "valid", "full.yaml");
        var folder = Path.GetDirectoryName(file)!;

        var result = PipelineParser.Load(file, TestFiles.Lookup);

        Assert.Empty(result.Errors);
        Assert.True(result.Success);
        Assert.NotNull(result.Document);
        var definition = Assert.IsType<PipelineDefinition>(result.Definition);
        Assert.Equal(file, definition.FilePath);
        Assert.Equal(folder, definition.BaseDirectory);
        Assert.Equal("my-salon", definition.Name);

        Assert.Equal("yclients", definition.Source.Connector);
        var config = definition.Source.Config;
        Assert.Equal("https://api.yclients.com/api/v1", config["base_url"]!.GetValue<string>());
        Assert.Equal("partner-token-value", config["partner_token"]!.GetValue<string>());
        Assert.Equal("user-token-value", config["user_token"]!.GetValue<string>());
        Assert.Equal(123456L, config["company_id"]!.GetValue<long>());
        Assert.Equal(["records", "record_services", "clients"], definition.Source.Streams.Select(s => s.Name));
        Assert.All(definition.Source.Streams, s => Assert.Null(s.TransformPath));
        var filter = Assert.Single(definition.Source.Filters);
        Assert.Equal("records", filter.Key);
        Assert.Equal("""{"service_category_id":[123]}""", filter.Value.ToJsonString());

        Assert.Equal("duckdb", definition.Destination.Type);
        Assert.Equal("""{"type":"duckdb","path":"./warehouse.duckdb"}""", definition.Destination.Config.ToJsonString());

        Assert.Equal(30, definition.Plan!.HistoryDays);
        Assert.Equal(100_000L, definition.Plan.RowsPerMonth);
        Assert.Equal(5000, definition.Sync.BatchSize);
        Assert.Equal(3, definition.Sync.LookbackDays);
        Assert.Equal(TimeSpan.FromSeconds(2), definition.RuleLimits!.Timeout);
        Assert.Equal(1_000_000L, definition.RuleLimits.MaxStatements);
        Assert.Equal(64L * 1024 * 1024, definition.RuleLimits.MaxMemoryBytes);
        Assert.Equal(200, definition.RuleLimits.MaxRecursion);
        Assert.Equal(40, definition.RuleLimits.MaxTables);

        var report = Assert.Single(definition.Reports);
        Assert.Equal("Finance by day", report.Name);
        Assert.Equal("finance_transactions", report.Type);
        Assert.Equal(["id", "date", "amount", "account.title"], report.Fields);
        Assert.Equal(7, report.LookbackDays);
        Assert.False(report.FixStructure);
        Assert.Equal(Path.Combine(folder, "rules", "finance.js"), report.RulesPath);
        Assert.Equal(ReportErrorMode.Fail, report.OnError);

        Assert.Equal(Path.Combine(folder, "plugins"), definition.PluginsDirectory);
        Assert.Contains("partner-token-value", definition.SecretValues);
        Assert.Contains("user-token-value", definition.SecretValues);
    }

    [Fact]
    public void Parse_MinimalPipeline_AppliesDefaults()
    {
        var result = TestFiles.Parse("""
            name: minimal
            source:
              connector: yclients
            destination:
              type: duckdb
            """);

        var definition = Assert.IsType<PipelineDefinition>(result.Definition);
        Assert.Empty(definition.Source.Config);
        Assert.Empty(definition.Source.Streams);
        Assert.Empty(definition.Source.Filters);
        Assert.Null(definition.Plan);
        Assert.Null(definition.RuleLimits);
        Assert.Equal(SyncDefinition.DefaultBatchSize, definition.Sync.BatchSize);
        Assert.Null(definition.Sync.LookbackDays);
        Assert.Empty(definition.Reports);
        Assert.Null(definition.PluginsDirectory);
        Assert.Equal("pipeline.yaml", definition.FilePath);
        Assert.Equal(Path.GetFullPath("/srv/pipelines"), definition.BaseDirectory);
    }

    [Fact]
    public void Parse_ThreeMistakes_ReportsExactlyThoseThreeWithPositions()
    {
        var result = TestFiles.Parse("""
            name: salon
            source:
              config:
                company_id: 1
            destination:
              type: mysql
            plugin_dir: ./plugins
            """);

        Assert.False(result.Success);
        Assert.Null(result.Definition);
        Assert.Equal(
            [
                "pipeline.yaml:2:1: source.connector: is required",
                "pipeline.yaml:6:9: destination.type: must be one of: duckdb, postgres, clickhouse",
                "pipeline.yaml:7:1: plugin_dir: unknown key 'plugin_dir'; did you mean 'plugins_dir'?",
            ],
            result.Errors.Select(e => e.ToString()));
        var first = result.Errors[0];
        Assert.Equal(("pipeline.yaml", 2, 1, "source.connector"), (first.File, first.Line, first.Column, first.Path));
    }

    [Fact]
    public void Parse_MistakesInSeveralPlaces_AllReportedSortedByLine()
    {
        var result = TestFiles.Parse("""
            name: Salon!
            plugins_dir: 5
            source:
              connector: yclients
              streams: [records, records]
            destination:
              type: postgres
            reports:
              - {name: a, type: services}
              - {name: A, type: documents}
            unknown: ${NOT_SET_ANYWHERE}
            """);

        Assert.Equal(
            [
                "1:7: name: may contain only lowercase letters, digits, '_' and '-'",
                "2:14: plugins_dir: expected a string",
                "5:22: source.streams[1]: duplicate stream: it is already listed at source.streams[0] (line 5)",
                "6:1: destination.connection: is required",
                "10:12: reports[1].name: duplicate report name: reports[0].name has the same name (line 9); report names must be unique",
                "11:1: unknown: unknown key 'unknown'; expected one of: name, source, destination, plan, sync, rules, reports, plugins_dir, retention, reconcile, schedule, scheduler",
                "11:10: unknown: environment variable NOT_SET_ANYWHERE is not set",
            ],
            TestFiles.Describe(result.Errors));
    }

    [Fact]
    public void Load_MissingFile_OneErrorOnLineZero()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mybi-missing-{Guid.NewGuid():N}", "pipeline.yaml");

        var result = PipelineParser.Load(path);

        var error = Assert.Single(result.Errors);
        Assert.Equal((path, 0, 0), (error.File, error.Line, error.Column));
        Assert.Equal($"{path}:0:0: (file): pipeline file not found; check the path", error.ToString());
        Assert.Null(result.Document);
        Assert.Null(result.Definition);
    }

    [Fact]
    public void Load_Folder_SaysToNameTheFile()
    {
        var error = Assert.Single(PipelineParser.Load(Path.GetTempPath()).Errors);

        Assert.Equal(0, error.Line);
        Assert.StartsWith("is a folder", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# only a comment\n")]
    [InlineData("~\n")]
    public void Parse_EmptyText_ClearError(string text)
    {
        var error = Assert.Single(TestFiles.Parse(text).Errors);

        Assert.Equal("(file)", error.Path);
        Assert.Equal("the file is empty; a pipeline needs at least name, source and destination", error.Message);
    }

    [Fact]
    public void Parse_SyntaxError_PositionedAndNoDocument()
    {
        var result = TestFiles.Parse("name: salon\nsource:\n  connector: yclients\n bad: indentation\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal((4, 2, "(yaml)"), (error.Line, error.Column, error.Path));
        Assert.StartsWith("YAML syntax error: ", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Document);
    }

    [Fact]
    public void Parse_UnterminatedFlowList_ReportedInsteadOfThrown()
    {
        // YamlDotNet's scanner throws InvalidOperationException on this input rather than a YamlException.
        var result = TestFiles.Parse("name: [1, 2\nsource: 3\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("(yaml)", error.Path);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Parse_ReferenceUnquotedInFlowList_HintsAtQuotes()
    {
        var result = TestFiles.Parse("name: salon\nsource:\n  connector: yclients\n  config: {company_ids: [${COMPANY_ID}]}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Line);
        Assert.EndsWith("inside [ ] or { } put values that use ${...} in quotes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RelativePaths_ResolvedAgainstBaseDirectory()
    {
        var result = PipelineParser.Parse("""
            name: paths
            source:
              connector: yclients
              streams:
                - records
                - {name: clients, transform: rules/clients.js}
                - {name: staff, transform: /opt/rules/staff.js}
            destination: {type: duckdb, path: data/w.duckdb}
            reports:
              - {name: r, type: services, rules: ../shared/r.js, on_error: quarantine}
            plugins_dir: ./plugins
            """, "p.yaml", "/srv/mybi/pipelines", TestFiles.Lookup);

        var definition = result.Definition!;
        Assert.Equal(
            [null, Path.GetFullPath("/srv/mybi/pipelines/rules/clients.js"), Path.GetFullPath("/opt/rules/staff.js")],
            definition.Source.Streams.Select(s => s.TransformPath));
        Assert.Equal(Path.GetFullPath("/srv/mybi/shared/r.js"), definition.Reports[0].RulesPath);
        Assert.Equal(ReportErrorMode.Quarantine, definition.Reports[0].OnError);
        Assert.Equal(Path.GetFullPath("/srv/mybi/pipelines/plugins"), definition.PluginsDirectory);
        Assert.Equal("data/w.duckdb", definition.Destination.Config["path"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_DestinationVariants_BindTypeAndWholeBlock()
    {
        var result = TestFiles.Parse("""
            name: ch
            source: {connector: yclients}
            destination:
              type: clickhouse
              connection: Host=localhost;Port=8123
              database: analytics
              cluster: main
              batch_size: 100000
            """);

        var destination = result.Definition!.Destination;
        Assert.Equal("clickhouse", destination.Type);
        Assert.Equal(
            JsonNode.Parse("""{"type":"clickhouse","connection":"Host=localhost;Port=8123","database":"analytics","cluster":"main","batch_size":100000}"""),
            destination.Config,
            JsonNode.DeepEquals);
    }
}
