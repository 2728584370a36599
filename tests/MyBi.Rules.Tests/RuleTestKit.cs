using System.Text.Json.Nodes;

namespace MyBi.Rules.Tests;

internal static class RuleTestKit
{
    public const string File = "rules/test.js";

    public static readonly RuleContext Context = new("finance-daily", new DateOnly(2025, 3, 14)) { CompanyId = 100001, Stream = "finance_operations" };

    public static SandboxLimits SmallLimits { get; } = new(TimeSpan.FromSeconds(2), 200_000, 32L * 1024 * 1024, 100);

    public static RuleRunner Runner(string source, SandboxLimits? limits = null, RuleErrorMode mode = RuleErrorMode.Fail) =>
        new(RuleScript.Parse(source, File), limits ?? SandboxLimits.Default, Context, mode);

    public static RuleBatchResult Run(RuleRunner runner, params string[] rows) =>
        runner.Run(rows.Select(r => JsonNode.Parse(r)!.AsObject()).ToList(), KeyOf, CancellationToken.None);

    public static RuleBatchResult RunOnce(string source, params string[] rows)
    {
        using var runner = Runner(source);
        return Run(runner, rows);
    }

    public static string KeyOf(JsonObject row) => row["id"] is { } id ? $"id={id.ToJsonString()}" : "?";

    /// <summary>The value of a column in a row, by name.</summary>
    public static object? Value(this RuleBatchResult result, string table, int row, string column)
    {
        var batch = result.Tables[table];
        return batch.Rows[row][batch.Schema.IndexOf(column)];
    }

    /// <summary>The rule must fail; returns the error for assertions on its content.</summary>
    public static RuleException Fails(string source, params string[] rows) =>
        Assert.Throws<RuleException>(() => RunOnce(source, rows.Length == 0 ? ["{\"id\": 1}"] : rows));

    /// <summary>Like <see cref="Fails"/> but with the small limits, so hostile scripts stop quickly.</summary>
    public static RuleException FailsWithin(SandboxLimits limits, string source, string row = "{\"id\": 1}")
    {
        return Assert.Throws<RuleException>(() =>
        {
            using var runner = Runner(source, limits);
            Run(runner, row);
        });
    }
}
