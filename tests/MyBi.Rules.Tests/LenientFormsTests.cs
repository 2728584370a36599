using System.Globalization;
using System.Text.Json.Nodes;

namespace MyBi.Rules.Tests;

/// <summary>
/// Rules read emitted texts with the same lenient reader as the engine and connectors: the forms the rules used to
/// refuse while the engine or the connector accepted them now load the same way.
/// </summary>
public sealed class LenientFormsTests
{
    [Theory]
    [InlineData("timestamp", "'2024-03-01T15:00:00.123+0300'", "2024-03-01T15:00:00.123+03:00")]
    [InlineData("timestamp", "'2024-03-01T15:00:00+03'", "2024-03-01T15:00:00+03:00")]
    [InlineData("timestamp", "'2020-10-29T13:34:26+0300'", "2020-10-29T13:34:26+03:00")]
    [InlineData("timestamp", "'2024-03-01 15:00:00'", "2024-03-01T15:00:00+00:00")]
    [InlineData("date", "'2024/03/01'", "2024-03-01")]
    [InlineData("date", "'2024-03-01T00:30:00+03:00'", "2024-03-01")]
    [InlineData("int64", "true", "1")]
    [InlineData("int64", "'12.00'", "12")]
    [InlineData("boolean", "'yes'", "true")]
    [InlineData("decimal(10,2)", "'3 221,72'", "3221.72")]
    [InlineData("double", "'1e300'", "1E+300")]
    public void Run_SharedForm_LoadsAsTheEngineReadsIt(string type, string literal, string expected)
    {
        var result = RuleTestKit.RunOnce(
            $"declare('t', {{ columns: {{ id: 'int64', v: '{type}' }}, key: ['id'] }});\nfunction transform(row) {{ emit('t', {{ id: 1, v: {literal} }}); }}",
            """{"id": 1}""");

        Assert.Equal(expected, Canonical(result.Value("t", 0, "v")));
    }

    [Fact]
    public void Run_InputTimestampValue_ReachesTheRuleAsTextAndLoadsWithItsOffset()
    {
        // Connectors put times into rows as values; a rule sees the ISO text and emits it to a timestamp column.
        var stamp = new DateTimeOffset(2024, 3, 1, 15, 0, 0, TimeSpan.FromHours(5));
        using var runner = RuleTestKit.Runner(
            "declare('t', { columns: { id: 'int64', at: 'timestamp', text: 'string' }, key: ['id'] });\n"
            + "function transform(row) { emit('t', { id: row.id, at: row.at, text: row.at }); }");

        var result = runner.Run([new JsonObject { ["id"] = 1, ["at"] = JsonValue.Create(stamp) }], RuleTestKit.KeyOf, CancellationToken.None);

        Assert.Equal("2024-03-01T15:00:00+05:00", Canonical(result.Value("t", 0, "at")));
        Assert.Equal("2024-03-01T15:00:00+05:00", result.Value("t", 0, "text"));
    }

    private static string? Canonical(object? value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString(),
    };
}
