using Jint.Runtime;

namespace MyBi.Rules.Tests;

/// <summary>Each hostile script ends in a clear <see cref="RuleException"/> while the process carries on.</summary>
public sealed class HostileScriptTests
{
    private const string Table = "declare('t', { columns: { id: 'int64', v: 'string' }, key: ['id'] });\n";

    private static RuleException Hostile(string body, SandboxLimits? limits = null) =>
        RuleTestKit.FailsWithin(limits ?? RuleTestKit.SmallLimits, Table + "function transform(row) {\n" + body + "\n}");

    [Fact]
    public void Run_EndlessLoop_StatementLimit()
    {
        var error = Hostile("while (true) {}");

        Assert.IsType<StatementsCountOverflowException>(error.InnerException);
        Assert.Contains("ran more than 200,000 statements in one batch", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("rules/test.js: row id=1:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EndlessLoopInsideTryCatch_TimeoutCannotBeSwallowed()
    {
        var limits = new SandboxLimits(TimeSpan.FromMilliseconds(300), int.MaxValue - 1L, 1 << 24, 50);

        var error = Hostile("try { while (true) {} } catch (e) { emit('t', { id: 1, v: 'swallowed' }); } finally { emit('t', { id: 2, v: 'finally' }); }", limits);

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Contains("ran longer than its limit of 0.3 s for one batch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ManyRowsEachUnderLimit_BatchBudgetStillApplies()
    {
        // Jint resets its own counters per call; the batch budget must not be reset by that.
        var limits = new SandboxLimits(TimeSpan.FromSeconds(5), 1_000, 1 << 24, 50);
        using var runner = RuleTestKit.Runner(Table + "function transform(row) { for (let i = 0; i < 600; i++) {} }", limits);

        var error = Assert.Throws<RuleException>(() => RuleTestKit.Run(runner, """{"id": 1}""", """{"id": 2}""", """{"id": 3}""", """{"id": 4}"""));

        Assert.Contains("statements in one batch", error.Message, StringComparison.Ordinal);
        Assert.Equal("id=2", error.RowKey);
    }

    [Fact]
    public void Run_DeepRecursion_RecursionLimit()
    {
        var error = Hostile("function down(n) { return down(n + 1) + 1; }\nreturn down(0);");

        Assert.IsType<RecursionDepthOverflowException>(error.InnerException);
        Assert.Contains("nested calls deeper than 100", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("new ArrayBuffer(2e9);", "ReferenceError: ArrayBuffer is not defined")]
    [InlineData("new SharedArrayBuffer(2e9);", "ReferenceError: SharedArrayBuffer is not defined")]
    [InlineData("new Uint8Array(2e9);", "ReferenceError: Uint8Array is not defined")]
    [InlineData("new Float64Array(1e9);", "ReferenceError: Float64Array is not defined")]
    [InlineData("new DataView(null);", "ReferenceError: DataView is not defined")]
    [InlineData("new Array(1e9).fill(0);", "The array size 1000000000 is larger than maximum allowed")]
    [InlineData("Array.from({ length: 1e9 });", "is larger than maximum allowed")]
    [InlineData("'x'.repeat(1e9);", "RangeError: repeat would build a string of 1000000000 characters")]
    [InlineData("'x'.repeat(5.3e8);", "RangeError: repeat would build a string of 530000000 characters")]
    [InlineData("'x'.padStart(1e9);", "RangeError: padStart would build a string of 1000000000 characters")]
    [InlineData("'x'.padEnd(4e8, 'y');", "RangeError: padEnd would build a string")]
    [InlineData("let s = 'x'; for (let i = 0; i < 40; i++) s += s;", "memory limit")]
    [InlineData("Array(1e5).fill('x'.repeat(1e5)).join('');", "RangeError: join would build a string")]
    [InlineData("Array(1e5).join('x'.repeat(1e5));", "RangeError: join would build a string")]
    [InlineData("String(Array(1e5).fill('x'.repeat(1e5)));", "RangeError: join would build a string")]
    [InlineData("JSON.stringify(Array(1e5).fill('x'.repeat(1e5)));", "RangeError: JSON text would be longer than 1000000 characters")]
    [InlineData("''.concat(...Array(1e4).fill('x'.repeat(1e5)));", "RangeError: concat would build a string")]
    [InlineData("'ab'.repeat(1e5).replaceAll('a', 'x'.repeat(1e4));", "RangeError: replaceAll would build a string")]
    [InlineData("'ab'.repeat(1e5).replace(/a/g, '$`$`');", "RangeError: replace would build a string")]
    [InlineData("'ab'.repeat(1e5).replace(/b/g, () => 'x'.repeat(1e4));", "RangeError: replace would build a string")]
    [InlineData("/a/g[Symbol.replace]('a'.repeat(1e5), 'x'.repeat(1e4));", "RangeError: replace would build a string")]
    [InlineData("let a = []; for (;;) a.push('x'.repeat(1e5) + a.length);", "memory limit")]
    public void Run_HugeAllocation_RefusedBeforeItHappens(string body, string expected)
    {
        var error = Hostile(body);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("id=1", error.RowKey);
    }

    [Fact]
    public void Run_GuardError_PointsAtTheRuleLine()
    {
        var error = Hostile("const n = 1e9;\n  return 'x'.repeat(n);");

        Assert.Equal(4, error.Line);
        Assert.StartsWith("rules/test.js:4:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("return System.IO.File.ReadAllText('/etc/passwd');", "ReferenceError: System is not defined")]
    [InlineData("return importNamespace('System.IO');", "ReferenceError: importNamespace is not defined")]
    [InlineData("return clrHelper.getType(1);", "ReferenceError: clrHelper is not defined")]
    [InlineData("return require('fs').readFileSync('/etc/passwd');", "ReferenceError: require is not defined")]
    [InlineData("return fetch('http://127.0.0.1/');", "ReferenceError: fetch is not defined")]
    [InlineData("return new XMLHttpRequest();", "ReferenceError: XMLHttpRequest is not defined")]
    [InlineData("return process.env;", "ReferenceError: process is not defined")]
    [InlineData("return ({}).constructor.constructor('return process')();", "String compilation has been disabled")]
    [InlineData("return Function('return this')();", "String compilation has been disabled")]
    [InlineData("return Object.getPrototypeOf(function* () {}).constructor('yield 1')();", "String compilation has been disabled")]
    [InlineData("return eval('1 + 1');", "ReferenceError: eval is not defined")]
    [InlineData("return (0, globalThis['ev' + 'al'])('1');", "TypeError")]
    [InlineData("return new Proxy({}, {});", "ReferenceError: Proxy is not defined")]
    [InlineData("return Temporal.Now.instant();", "ReferenceError: Temporal is not defined")]
    [InlineData("return Intl.DateTimeFormat().format();", "ReferenceError: Intl is not defined")]
    [InlineData("return new WeakRef({});", "ReferenceError: WeakRef is not defined")]
    [InlineData("return Math.random();", "Math.random is not available in rules")]
    [InlineData("return this.constructor;", "TypeError")]
    public void Run_ReachingOutOfTheSandbox_Refused(string body, string expected)
    {
        var error = Hostile(body);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("rules/test.js:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_GetTypeOnHostValues_NoClrSurface()
    {
        using var runner = RuleTestKit.Runner(Table + """
            function transform(row, ctx) {
              const probes = [typeof emit.GetType, typeof row.GetType, typeof ctx.GetType, typeof globalThis.host, typeof Reflect.GetType, typeof emit.constructor('x')];
              emit('t', { id: row.id, v: probes.join(',') });
            }
            """);

        var error = Assert.Throws<RuleException>(() => RuleTestKit.Run(runner, """{"id": 1}"""));

        Assert.Contains("String compilation has been disabled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SyntaxError_FileLineColumn()
    {
        var error = Assert.Throws<RuleException>(() => RuleScript.Parse("declare('t', { columns: { id: 'int64' } });\nfunction transform(row) {\n  emit('t', { id: });\n}", "rules/broken.js"));

        Assert.Equal(("rules/broken.js", 3, 18), (error.File, error.Line, error.Column));
        Assert.StartsWith("rules/broken.js:3:18: SyntaxError: Unexpected token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ModuleImport_SyntaxError()
    {
        var error = Assert.Throws<RuleException>(() => RuleScript.Parse("import fs from 'fs';\nfunction transform() {}", "rules/imports.js"));

        Assert.StartsWith("rules/imports.js:1:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_RuleException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mybi-missing-{Guid.NewGuid():N}.js");

        var error = Assert.Throws<RuleException>(() => RuleScript.Load(path));

        Assert.Contains("cannot read the rule file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_HostileTopLevel_RuleException()
    {
        var error = Assert.Throws<RuleException>(() => RuleTestKit.Runner(Table + "for (;;) {}\nfunction transform() {}", RuleTestKit.SmallLimits));

        Assert.Contains("statements in one batch", error.Message, StringComparison.Ordinal);
        Assert.Null(error.RowKey);
    }

    [Fact]
    public void Run_AfterHostileBatch_RunnerStillWorks()
    {
        using var runner = RuleTestKit.Runner(Table + "function transform(row) { if (row.loop) for (;;) {} emit('t', { id: row.id, v: 'ok' }); }", RuleTestKit.SmallLimits);

        Assert.Throws<RuleException>(() => RuleTestKit.Run(runner, """{"id": 1, "loop": true}"""));
        var result = RuleTestKit.Run(runner, """{"id": 2}""");

        Assert.Equal(new object?[] { 2L, "ok" }, result.Tables["t"].Rows[0]);
    }

    [Fact]
    public void Run_Cancelled_OperationCanceledException()
    {
        using var runner = RuleTestKit.Runner(Table + "function transform(row) { for (;;) {} }", new SandboxLimits(TimeSpan.FromMinutes(5), int.MaxValue - 1L, 1 << 24, 50));
        using var cancellation = new CancellationTokenSource();
        cancellation.CancelAfter(200);

        Assert.ThrowsAny<OperationCanceledException>(() => runner.Run([new System.Text.Json.Nodes.JsonObject { ["id"] = 1 }], RuleTestKit.KeyOf, cancellation.Token));
    }

    [Fact]
    public void Run_AsyncTransform_Refused()
    {
        var error = Hostile("return Promise.resolve(1);");

        Assert.Contains("transform must not be async", error.Message, StringComparison.Ordinal);
    }
}
