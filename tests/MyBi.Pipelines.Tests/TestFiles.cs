namespace MyBi.Pipelines.Tests;

/// <summary>Fixtures copied next to the test assembly, and the environment the pipeline examples are written for.</summary>
internal static class TestFiles
{
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["YCLIENTS_PARTNER_TOKEN"] = "partner-token-value",
        ["YCLIENTS_USER_TOKEN"] = "user-token-value",
        ["YCLIENTS_PASSWORD"] = "yclients-password-value",
        ["PG_PASSWORD"] = "pg-password-value",
        ["CLICKHOUSE_PASSWORD"] = "clickhouse-password-value",
        ["COMPANY_ID"] = "123456",
    };

    public static string Examples => Path.Combine(AppContext.BaseDirectory, "examples");

    public static string? Lookup(string name) => Environment.GetValueOrDefault(name);

    public static Func<string, string?> With(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return name => map.GetValueOrDefault(name);
    }

    public static PipelineParseResult Parse(string yaml, Func<string, string?>? environment = null) =>
        PipelineParser.Parse(yaml, "pipeline.yaml", "/srv/pipelines", environment ?? Lookup);

    /// <summary>Errors as <c>line:column: path: message</c>, the part of the printed form that does not repeat the file.</summary>
    public static string[] Describe(IEnumerable<PipelineDiagnostic> errors) =>
        errors.Select(e => $"{e.Line}:{e.Column}: {e.Path}: {e.Message}").ToArray();
}
