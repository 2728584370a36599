using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;

namespace MyBi.Rules.Tests;

public sealed class RuleRunnerTests
{
    private const string FinanceRule = """
        declare('finance_ops', {
          columns: { id: 'int64', date: 'timestamp', amount: 'decimal', account: 'string', is_income: 'boolean' },
          key: ['id'],
          description: 'Money movements',
        });
        declare('finance_op_tags', { columns: { op_id: 'int64', tag: 'string' }, key: ['op_id', 'tag'] });

        function transform(row, ctx) {
          if (row.deleted) return;
          emit('finance_ops', { id: row.id, date: row.date, amount: row.amount, account: row.account?.title, is_income: row.amount > 0 });
          for (const t of row.tags ?? []) emit('finance_op_tags', { op_id: row.id, tag: t });
        }
        """;

    [Fact]
    public void Tables_FinanceRule_DeclaredSchemasWithKeysAndTypes()
    {
        using var runner = RuleTestKit.Runner(FinanceRule);

        Assert.Equal(["finance_ops", "finance_op_tags"], runner.Tables.Select(t => t.Name));
        var ops = runner.Tables[0];
        Assert.Equal(["id", "date", "amount", "account", "is_income"], ops.Columns.Select(c => c.Name));
        Assert.Equal([ColumnType.Int64, ColumnType.Timestamp, ColumnType.Decimal, ColumnType.String, ColumnType.Boolean], ops.Columns.Select(c => c.Type));
        Assert.Equal(["id"], ops.PrimaryKey);
        Assert.False(ops.Columns[0].Nullable);
        Assert.Equal("Money movements", ops.Description);
        Assert.Equal(["op_id", "tag"], runner.Tables[1].PrimaryKey);
    }

    [Fact]
    public void Run_OneRowIntoTwoTables_HeaderAndLines()
    {
        var result = RuleTestKit.RunOnce(
            FinanceRule,
            """{"id": 7, "date": "2025-03-01T10:15:00+03:00", "amount": "1500.50", "account": {"title": "Cash"}, "tags": ["rent", "march"]}""");

        var ops = result.Tables["finance_ops"];
        Assert.Single(ops.Rows);
        Assert.Equal(7L, result.Value("finance_ops", 0, "id"));
        Assert.Equal("Cash", result.Value("finance_ops", 0, "account"));
        Assert.Equal(1500.50m, result.Value("finance_ops", 0, "amount"));
        var tags = result.Tables["finance_op_tags"];
        Assert.Equal(2, tags.Count);
        Assert.Equal(new object?[] { 7L, "rent" }, tags.Rows[0]);
        Assert.Equal(new object?[] { 7L, "march" }, tags.Rows[1]);
        Assert.Equal(0, result.Skipped);
        Assert.Empty(result.RowErrors);
    }

    [Fact]
    public void Run_ComputedColumn_ValueDerivedFromRow()
    {
        var result = RuleTestKit.RunOnce(
            FinanceRule,
            """{"id": 1, "date": "2025-03-01 10:00:00", "amount": -20, "account": []}""",
            """{"id": 2, "date": "2025-03-01 11:00:00", "amount": 35.25, "account": null}""");

        Assert.Equal(false, result.Value("finance_ops", 0, "is_income"));
        Assert.Equal(true, result.Value("finance_ops", 1, "is_income"));
        Assert.Null(result.Value("finance_ops", 0, "account"));
        Assert.Empty(result.Tables["finance_op_tags"].Rows);
    }

    [Fact]
    public void Run_SkippedRows_EmitNothingAndAreCounted()
    {
        var result = RuleTestKit.RunOnce(
            FinanceRule,
            """{"id": 1, "date": "2025-03-01T10:00:00Z", "amount": 5, "deleted": true}""",
            """{"id": 2, "date": "2025-03-01T10:00:00Z", "amount": 6}""",
            """{"id": 3, "date": "2025-03-01T10:00:00Z", "amount": 7, "deleted": 1}""");

        Assert.Equal(2, result.Skipped);
        Assert.Equal([2L], result.Tables["finance_ops"].Rows.Select(r => (long)r[0]!));
    }

    [Fact]
    public void Run_DeclaredTypes_ProduceExactClrValues()
    {
        const string rule = """
            declare('typed', {
              columns: {
                id: 'int64', money: 'decimal(18,2)', exact: 'decimal', ratio: 'double', flag: 'boolean',
                at: 'timestamp', at_plain: 'timestamp', day: 'date', from_date: 'timestamp', doc: 'json', text: 'string', big: 'int64',
              },
              key: ['id'],
            });
            function transform(row) {
              emit('typed', {
                id: row.id, money: row.money, exact: 0.1 + 0.2, ratio: row.ratio, flag: row.flag,
                at: row.at, at_plain: row.at_plain, day: row.day, from_date: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
                doc: { tags: row.tags, n: 1 }, text: 42, big: row.big,
              });
            }
            """;
        var result = RuleTestKit.RunOnce(
            rule,
            """{"id": "123", "money": "1 000,505", "ratio": "0.25", "flag": "1", "at": "2020-10-29T13:34:26+0300", "at_plain": "2020-10-29 13:34:26", "day": "2020-10-29", "tags": ["a", "б"], "big": 9007199254740993}""");

        object?[] row = result.Tables["typed"].Rows[0];
        Assert.Equal(123L, row[0]);
        Assert.Equal(1000.51m, row[1]);
        Assert.Equal(0.3m, row[2]);
        Assert.IsType<decimal>(row[2]);
        Assert.Equal(0.25d, row[3]);
        Assert.Equal(true, row[4]);
        var at = Assert.IsType<DateTimeOffset>(row[5]);
        Assert.Equal(TimeSpan.FromHours(3), at.Offset);
        Assert.Equal(new DateTimeOffset(2020, 10, 29, 13, 34, 26, TimeSpan.FromHours(3)), at);
        Assert.Equal(new DateTimeOffset(2020, 10, 29, 13, 34, 26, TimeSpan.Zero), row[6]);
        Assert.Equal(new DateOnly(2020, 10, 29), row[7]);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), row[8]);
        Assert.Equal("""{"tags":["a","б"],"n":1}""", row[9]);
        Assert.Equal("42", row[10]);
        Assert.Equal(9007199254740993L, row[11]);
    }

    [Fact]
    public void Run_LocalTimestampColumn_KeepsTheWallClockReading()
    {
        const string rule = """
            declare('walls', { columns: { id: 'int64', plain: 'local_timestamp', offset: 'local_timestamp', date: 'local_timestamp' }, key: ['id'] });
            function transform(row) {
              emit('walls', { id: row.id, plain: row.plain, offset: row.offset, date: new Date(Date.UTC(2025, 0, 2, 23, 4, 5)) });
            }
            """;
        var result = RuleTestKit.RunOnce(rule, """{"id": 1, "plain": "2020-10-29 23:34:26", "offset": "2020-10-29T23:34:26+1000"}""");

        object?[] row = result.Tables["walls"].Rows[0];
        Assert.Equal(ColumnType.LocalDateTime, result.Tables["walls"].Schema.Columns[1].Type);
        var plain = Assert.IsType<DateTime>(row[1]);
        Assert.Equal((new DateTime(2020, 10, 29, 23, 34, 26), DateTimeKind.Unspecified), (plain, plain.Kind));
        Assert.Equal(new DateTime(2020, 10, 29, 23, 34, 26), row[2]);
        Assert.Equal(new DateTime(2025, 1, 2, 23, 4, 5), row[3]);
    }

    [Fact]
    public void Run_Context_GivesRunParametersReadOnly()
    {
        const string rule = """
            declare('ctx', { columns: { id: 'int64', job: 'string', company: 'int64', day: 'date', stream: 'string', changed: 'boolean' }, key: ['id'] });
            function transform(row, ctx) {
              let changed = true;
              try { ctx.job = 'other'; changed = ctx.job === 'other'; } catch (e) { changed = false; }
              emit('ctx', { id: row.id, job: ctx.job, company: ctx.companyId, day: ctx.runDate, stream: ctx.stream, changed });
            }
            """;
        var result = RuleTestKit.RunOnce(rule, """{"id": 1}""");

        Assert.Equal(new object?[] { 1L, "finance-daily", 100001L, new DateOnly(2025, 3, 14), "finance_operations", false }, result.Tables["ctx"].Rows[0]);
    }

    [Fact]
    public void Run_Clock_IsFrozenAtRunDate()
    {
        const string rule = """
            declare('clock', { columns: { id: 'int64', now: 'timestamp', made: 'timestamp' }, key: ['id'] });
            function transform(row) { emit('clock', { id: row.id, now: new Date(Date.now()), made: new Date() }); }
            """;
        var result = RuleTestKit.RunOnce(rule, """{"id": 1}""");

        var midnight = new DateTimeOffset(2025, 3, 14, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(midnight, result.Value("clock", 0, "now"));
        Assert.Equal(midnight, result.Value("clock", 0, "made"));
    }

    [Fact]
    public void Run_SameRunnerManyBatches_EachBatchHasOnlyItsRows()
    {
        using var runner = RuleTestKit.Runner(FinanceRule);

        var first = RuleTestKit.Run(runner, """{"id": 1, "date": "2025-03-01T10:00:00Z", "amount": 1}""");
        var second = RuleTestKit.Run(runner, """{"id": 2, "date": "2025-03-01T10:00:00Z", "amount": 2}""", """{"id": 3, "date": "2025-03-01T10:00:00Z", "amount": 3}""");

        Assert.Equal([1L], first.Tables["finance_ops"].Rows.Select(r => (long)r[0]!));
        Assert.Equal([2L, 3L], second.Tables["finance_ops"].Rows.Select(r => (long)r[0]!));
    }

    [Fact]
    public void Run_JsonStringify_WorksAsStandard()
    {
        const string rule = """
            declare('j', { columns: { id: 'int64', a: 'string', b: 'string', c: 'string' }, key: ['id'] });
            function transform(row) {
              emit('j', {
                id: row.id,
                a: JSON.stringify(row),
                b: JSON.stringify({ x: [1, 'two', null, undefined, () => 1], d: new Date(0), n: NaN }, null, 2),
                c: JSON.stringify({ keep: 1, drop: 2, nested: { keep: 3 } }, ['keep', 'nested']) + JSON.stringify({ a: { toJSON() { return JSON.stringify([1]); } }, b: 2 }),
              });
            }
            """;
        var result = RuleTestKit.RunOnce(rule, """{"id": 1, "s": "q\"\n"}""");

        Assert.Equal("""{"id":1,"s":"q\"\n"}""", result.Value("j", 0, "a"));
        Assert.Equal("{\n  \"x\": [\n    1,\n    \"two\",\n    null,\n    null,\n    null\n  ],\n  \"d\": \"1970-01-01T00:00:00.000Z\",\n  \"n\": null\n}", result.Value("j", 0, "b"));
        Assert.Equal("""{"keep":1,"nested":{"keep":3}}{"a":"[1]","b":2}""", result.Value("j", 0, "c"));
    }

    [Fact]
    public void Run_GuardedStringBuilders_BehaveAsStandardForNormalSizes()
    {
        const string rule = """
            declare('s', { columns: { id: 'int64', v: 'string' }, key: ['id'] });
            function transform(row) {
              const parts = [
                'ab'.repeat(3), '7'.padStart(3, '0'), 'x'.padEnd(3, '-'), 'a'.concat('b', 1, null),
                [1, [2, 3], null, 'z'].join('|'), String([1, 2]), 'a-b-c'.replace('-', '+'), 'a-b-c'.replaceAll('-', '$&$&'),
                'John Smith'.replace(/(\w+)\s(\w+)/, '$2, $1'), 'aaa'.replace(/a/g, (m, o) => o), String.raw`x\n${1 + 1}`,
              ];
              emit('s', { id: row.id, v: parts.join(' ') });
            }
            """;
        var result = RuleTestKit.RunOnce(rule, """{"id": 1}""");

        Assert.Equal(@"ababab 007 x-- ab1null 1|2,3||z 1,2 a+b-c a--b--c Smith, John 012 x\n2", result.Value("s", 0, "v"));
    }
}
