namespace MyBi.Rules.Tests;

/// <summary>A rule declares only tables nobody else owns, and not too many of them.</summary>
public sealed class TableReservationTests
{
    private const string Transform = "function transform(row) {}\n";

    private static RuleException Declaring(string declare, RuleContext? context = null, SandboxLimits? limits = null) =>
        Assert.Throws<RuleException>(() => new RuleRunner(RuleScript.Parse("// tables\n" + declare + "\n" + Transform, RuleTestKit.File), limits ?? SandboxLimits.Default, context ?? RuleTestKit.Context).Dispose());

    [Theory]
    [InlineData("_mybi_state")]
    [InlineData("_mybi_runs")]
    [InlineData("_MYBI_quarantine")]
    [InlineData("_mybi_anything")]
    public void Declare_EngineTable_RefusedWithPosition(string name)
    {
        var error = Declaring($"declare('{name}', {{ columns: {{ pipeline: 'string', state: 'json' }}, key: ['pipeline'] }});");

        Assert.Equal($"rules/test.js:2:1: TypeError: declare('{name}'): names starting with _mybi_ are reserved for the engine's own tables; choose another name", error.Message);
    }

    [Theory]
    [InlineData("records")]
    [InlineData("RECORDS")]
    public void Declare_TableOwnedByAStream_RefusedNamingTheOwner(string name)
    {
        var context = new RuleContext("p", new DateOnly(2025, 1, 1)) { ReservedTables = new Dictionary<string, string> { ["records"] = "stream 'records'" } };

        var error = Declaring($"declare('ok', {{ columns: {{ id: 'int64' }} }});\ndeclare('{name}', {{ columns: {{ id: 'int64' }} }});", context);

        Assert.Equal($"rules/test.js:3:1: TypeError: declare('{name}'): the table belongs to stream 'records'; a table has one owner, so choose another name", error.Message);
    }

    [Fact]
    public void Declare_SameTableTwiceInAnotherCase_Refused()
    {
        var error = Declaring("declare('t', { columns: { id: 'int64' } });\ndeclare('T', { columns: { id: 'int64' } });");

        Assert.Contains("declare('T'): the table is declared twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Declare_ThousandsOfTables_StopsAtTheCap()
    {
        var error = Declaring("for (let i = 0; i < 5000; i++) declare('t' + i, { columns: { id: 'int64' } });");

        Assert.Equal("rules/test.js:2:1: RangeError: declare('t50'): a rule may declare at most 50 tables (rules.max_tables)", error.Message);
    }

    [Fact]
    public void Declare_CapIsAnOption()
    {
        var limits = new SandboxLimits(TimeSpan.FromSeconds(2), 1_000_000, 64L << 20, 100) { MaxTables = 3 };
        using var runner = new RuleRunner(RuleScript.Parse("for (let i = 0; i < 3; i++) declare('t' + i, { columns: { id: 'int64' } });\n" + Transform, RuleTestKit.File), limits, RuleTestKit.Context);

        Assert.Equal(3, runner.Tables.Count);
        Assert.Contains("at most 3 tables", Declaring("for (let i = 0; i < 4; i++) declare('t' + i, { columns: { id: 'int64' } });", limits: limits).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("import('fs');")]
    [InlineData("function transform2() { return import('./other.js'); }\ntransform2();")]
    public void Import_IsAClearErrorWithPosition(string code)
    {
        var error = Declaring("declare('t', { columns: { id: 'int64' } });\n" + code);

        Assert.StartsWith("rules/test.js:3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("import() is not available in rules", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_InsideTransform_RefusedWhenParsed()
    {
        var error = RuleTestKit.Fails("declare('t', { columns: { id: 'int64' } });\nfunction transform(row) {\n  import('x');\n}");

        Assert.StartsWith("rules/test.js:3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("import() is not available in rules", error.Message, StringComparison.Ordinal);
    }
}
