namespace MyBi.Rules.Tests;

public sealed class QuarantineTests
{
    private const string Rule = """
        declare('head', { columns: { id: 'int64', total: 'decimal' }, key: ['id'] });
        declare('line', { columns: { head_id: 'int64', n: 'int64', qty: 'int64' }, key: ['head_id', 'n'] });
        function transform(row) {
          emit('head', { id: row.id, total: row.total });
          row.lines.forEach((l, n) => emit('line', { head_id: row.id, n, qty: l.qty }));
        }
        """;

    [Fact]
    public void Run_Quarantine_FailingRowsSetAsideWholeOthersKept()
    {
        using var runner = RuleTestKit.Runner(Rule, mode: RuleErrorMode.Quarantine);

        var result = RuleTestKit.Run(
            runner,
            """{"id": 1, "total": 10, "lines": [{"qty": 1}, {"qty": 2}]}""",
            """{"id": 2, "total": 20, "lines": [{"qty": 1}, {"qty": "many"}]}""",
            """{"id": 3, "total": 30}""",
            """{"id": 4, "total": 40, "lines": [{"qty": 4}]}""");

        Assert.Equal([1L, 4L], result.Tables["head"].Rows.Select(r => (long)r[0]!));
        Assert.Equal([1L, 1L, 4L], result.Tables["line"].Rows.Select(r => (long)r[0]!));
        Assert.Equal(2, result.RowErrors.Count);
        var badType = result.RowErrors[0];
        Assert.Equal("id=2", badType.RowKey);
        Assert.Contains("rules/test.js:5:", badType.Message, StringComparison.Ordinal);
        Assert.Contains("column 'qty' (int64): 'many' is not an integer", badType.Message, StringComparison.Ordinal);
        Assert.Contains("\"qty\":\"many\"", badType.RowJson, StringComparison.Ordinal);
        var noLines = result.RowErrors[1];
        Assert.Equal("id=3", noLines.RowKey);
        Assert.Contains("TypeError", noLines.Message, StringComparison.Ordinal);
        Assert.Equal(0, result.Skipped);
    }

    [Fact]
    public void Run_QuarantineWithBatchLimit_StillFailsTheBatch()
    {
        using var runner = RuleTestKit.Runner(
            "declare('t', { columns: { id: 'int64' }, key: ['id'] });\nfunction transform(row) { if (row.id === 2) for (;;) {} emit('t', { id: row.id }); }",
            RuleTestKit.SmallLimits,
            RuleErrorMode.Quarantine);

        var error = Assert.Throws<RuleException>(() => RuleTestKit.Run(runner, """{"id": 1}""", """{"id": 2}"""));

        Assert.Contains("statements in one batch", error.Message, StringComparison.Ordinal);
    }
}
