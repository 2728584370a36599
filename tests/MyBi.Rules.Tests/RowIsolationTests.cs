namespace MyBi.Rules.Tests;

/// <summary>What one input row changes is never seen by the next one.</summary>
public sealed class RowIsolationTests
{
    private const string Table = "declare('t', { columns: { id: 'int64', v: 'string' }, key: ['id'] });\n";

    private static RuleBatchResult TwoRows(string source) =>
        RuleTestKit.RunOnce(Table + source, """{"id": 1}""", """{"id": 2}""");

    [Theory]
    [InlineData("Object.prototype.polluted = 'yes';", "({}).polluted")]
    [InlineData("Array.prototype.polluted = 'yes';", "[].polluted")]
    [InlineData("String.prototype.trim = () => 'yes';", "' x '.trim() === 'yes' ? 'yes' : undefined")]
    [InlineData("JSON.polluted = 'yes';", "JSON.polluted")]
    [InlineData("globalThis.polluted = 'yes';", "globalThis.polluted")]
    [InlineData("Object.defineProperty(Object.prototype, 'polluted', { get: () => 'yes' });", "({}).polluted")]
    [InlineData("Object.setPrototypeOf(Object.prototype, { polluted: 'yes' });", "({}).polluted")]
    public void Run_FirstRowChangesBuiltIns_SecondRowDoesNotSeeIt(string change, string probe)
    {
        var result = TwoRows($$"""
            function transform(row) {
              if (row.id === 1) { try { {{change}} } catch (e) { } }
              emit('t', { id: row.id, v: String({{probe}}) });
            }
            """);

        Assert.Equal("undefined", result.Value("t", 1, "v"));
    }

    [Theory]
    [InlineData("let seen = 0;", "seen++; return seen;")]
    [InlineData("var seen = 0;", "seen++; return seen;")]
    [InlineData("for (var seen = 0; seen < 1; seen++) { }", "seen++; return seen;")]
    [InlineData("let [seen, other] = [0, 1];", "seen++; return seen;")]
    [InlineData("const seen = { n: 0 };", "try { seen.n++; } catch (e) { } return seen.n;")]
    [InlineData("const seen = [];", "try { seen.push(1); } catch (e) { } return seen.length;")]
    [InlineData("const seen = new Map();", "try { seen.set(row.id, 1); } catch (e) { } return seen.size;")]
    [InlineData("const seen = new Set();", "try { seen.add(row.id); } catch (e) { } return seen.size;")]
    [InlineData("const seen = new Date(0);", "try { seen.setTime(row.id); } catch (e) { } return seen.getTime();")]
    [InlineData("function helper() { return 0; }", "try { helper = () => 1; } catch (e) { } return helper();")]
    public void Run_FirstRowChangesTopLevelState_SecondRowSeesTheTopLevelValue(string topLevel, string touch)
    {
        var result = TwoRows($$"""
            {{topLevel}}
            function touch(row) { {{touch}} }
            function transform(row) {
              emit('t', { id: row.id, v: String(touch(row)) });
            }
            """);

        Assert.Equal(result.Value("t", 0, "v"), result.Value("t", 1, "v"));
    }

    [Fact]
    public void Run_ChangingABuiltIn_IsAClearRowError()
    {
        var error = RuleTestKit.Fails(Table + "function transform(row) {\n  Object.prototype.x = 1;\n}");

        Assert.StartsWith("rules/test.js:3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("TypeError", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TopLevelMapIsReadOnly_ErrorSaysWhy()
    {
        var error = RuleTestKit.Fails(Table + "const cache = new Map();\nfunction transform(row) {\n  cache.set(row.id, row);\n}");

        Assert.Contains("Map.prototype.set: values made at the top level of a rule are read-only while rows run", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("rules/test.js:4:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OrdinaryRuleCode_StillWorks()
    {
        var result = TwoRows("""
            const SPACES = /\s+/g;
            const NAMES = new Map([[1, 'one'], [2, 'two']]);
            const WORDS = ['a', 'b'];
            let scratch = 'top';
            function transform(row) {
              scratch = NAMES.get(row.id);
              const local = new Map(); local.set('k', WORDS.map(w => w.toUpperCase()).join(''));
              const o = {}; o.x = 1;
              emit('t', { id: row.id, v: ('  ' + scratch + ' ' + local.get('k')).replace(SPACES, ' ').trim() + SPACES.test('a b') + o.x });
            }
            """);

        Assert.Equal("one ABtrue1", result.Value("t", 0, "v"));
        Assert.Equal("two ABtrue1", result.Value("t", 1, "v"));
    }
}
