namespace MyBi.Rules.Tests;

public sealed class RowValidationTests
{
    private const string Declared = "declare('ops', { columns: { id: 'int64', amount: 'decimal(10,2)', title: 'string' }, key: ['id'] });\n";

    [Fact]
    public void Run_WrongTypeThatCannotConvert_ErrorNamesFileTableColumnAndRow()
    {
        var error = RuleTestKit.Fails(Declared + "function transform(row) {\n  emit('ops', { id: 'abc', title: 'x' });\n}", """{"id": 123}""");

        Assert.Equal(RuleTestKit.File, error.File);
        Assert.Equal(3, error.Line);
        Assert.Equal("id=123", error.RowKey);
        Assert.StartsWith("rules/test.js:3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("row id=123", error.Message, StringComparison.Ordinal);
        Assert.Contains("TypeError: emit('ops'): column 'id' (int64): 'abc' is not an integer", error.Message, StringComparison.Ordinal);
        Assert.Equal(MyBi.Abstractions.Errors.FailureKind.Config, error.Kind);
    }

    [Fact]
    public void Run_UnknownColumn_ClearError()
    {
        var error = RuleTestKit.Fails(Declared + "function transform(row) { emit('ops', { id: row.id, amount: 1, colour: 'red' }); }", """{"id": 5}""");

        Assert.Contains("emit('ops'): column 'colour' is not declared (columns: id, amount, title)", error.Message, StringComparison.Ordinal);
        Assert.Contains("row id=5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ColumnNamedInAnotherCase_IsNotDeclared()
    {
        var error = RuleTestKit.Fails(Declared + "function transform(row) { emit('ops', { id: row.id, Amount: 1 }); }", """{"id": 5}""");

        Assert.Contains("emit('ops'): column 'Amount' is not declared (columns: id, amount, title)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_GetterAndHiddenProperties_GetterReadHiddenOnesIgnored()
    {
        const string rule = Declared + """
            function transform(row) {
              const out = { id: row.id, get amount() { return 2.5; } };
              Object.defineProperty(out, 'title', { value: 'hidden', enumerable: false });
              Object.defineProperty(out, 'note', { value: 'not a column either', enumerable: false });
              emit('ops', out);
            }
            """;

        var row = RuleTestKit.RunOnce(rule, """{"id": 5}""").Tables["ops"].Rows[0];

        Assert.Equal(5L, row[0]);
        Assert.Equal(2.5m, row[1]);
        Assert.Null(row[2]);
    }

    [Fact]
    public void Run_MissingKeyColumn_ClearError()
    {
        var error = RuleTestKit.Fails(Declared + "function transform(row) { emit('ops', { amount: 1 }); }");

        Assert.Contains("emit('ops'): key column 'id' is missing or null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UndeclaredTable_ClearError()
    {
        var error = RuleTestKit.Fails(Declared + "function transform(row) { emit('opz', { id: 1 }); }");

        Assert.Contains("emit('opz'): no such table is declared (declared: ops)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amount: 123456789.5", "does not fit decimal(10,2)")]
    [InlineData("amount: 'lots'", "'lots' is not a number")]
    [InlineData("id: 1.5", "1.5 is not an integer")]
    [InlineData("title: { a: 1 }", "expected a text, number or boolean")]
    public void Run_ValueDoesNotFitColumn_ReasonInMessage(string values, string reason)
    {
        var error = RuleTestKit.Fails(Declared + $"function transform(row) {{ emit('ops', {{ id: 1, {values} }}); }}");

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FailingRowInFailMode_NothingOfBatchReturned()
    {
        using var runner = RuleTestKit.Runner(Declared + "function transform(row) { emit('ops', { id: row.id, amount: row.amount }); }");

        var error = Assert.Throws<RuleException>(() => RuleTestKit.Run(runner, """{"id": 1, "amount": 1}""", """{"id": 2, "amount": "bad"}"""));

        Assert.Equal("id=2", error.RowKey);
        var next = RuleTestKit.Run(runner, """{"id": 3, "amount": 3}""");
        Assert.Equal([3L], next.Tables["ops"].Rows.Select(r => (long)r[0]!));
    }

    [Theory]
    [InlineData("declare('t', { columns: { id: 'integer' } });", "column 'id' has unknown type 'integer'; use one of string, int64")]
    [InlineData("declare('t', { columns: { id: 'int64' }, keys: ['id'] });", "unknown option 'keys' (use columns, key, description)")]
    [InlineData("declare('t', { columns: { id: 'int64' }, key: ['nope'] });", "key column 'nope' is not one of its columns")]
    [InlineData("declare('t', { columns: {} });", "the table has no columns")]
    [InlineData("declare('bad name', { columns: { id: 'int64' } });", "a table name is letters, digits and _")]
    [InlineData("declare('t', { columns: { id: 'int64' } }); declare('t', { columns: { id: 'int64' } });", "the table is declared twice")]
    [InlineData("declare('t', { columns: { d: 'decimal(40,2)' } });", "precision must be 1..28")]
    public void Constructor_BadDeclaration_RuleExceptionWithPlace(string declaration, string reason)
    {
        var error = Assert.Throws<RuleException>(() => RuleTestKit.Runner(declaration + "\nfunction transform(row) {}"));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
        Assert.Null(error.RowKey);
    }

    [Fact]
    public void Constructor_NoTransform_ClearError()
    {
        var error = Assert.Throws<RuleException>(() => RuleTestKit.Runner("declare('t', { columns: { id: 'int64' } });"));

        Assert.Contains("defines no function transform(row, ctx)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoTable_ClearError()
    {
        var error = Assert.Throws<RuleException>(() => RuleTestKit.Runner("function transform(row) {}"));

        Assert.Contains("declares no table", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_DeclareInsideTransform_ClearError()
    {
        var error = RuleTestKit.Fails(Declared + "function transform(row) { declare('late', { columns: { id: 'int64' } }); }");

        Assert.Contains("declare() works only at the top level", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DecimalAndColumnOptions_Honoured()
    {
        using var runner = RuleTestKit.Runner("""
            declare('t', { columns: { id: 'int64', price: { type: 'decimal', precision: 12, scale: 3, nullable: false, description: 'Unit price' } }, key: 'id' });
            function transform(row) {}
            """);

        var price = runner.Tables[0].Columns[1];
        Assert.Equal((12, 3, false, "Unit price"), (price.Precision, price.Scale, price.Nullable, price.Description));
        Assert.Equal(["id"], runner.Tables[0].PrimaryKey);
    }
}
