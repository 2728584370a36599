namespace MyBi.Rules.Tests;

public sealed class SandboxLimitsTests
{
    public static TheoryData<double, long, long, int, string> InvalidLimits => new()
    {
        { 0, 1000, 1 << 20, 10, "Timeout" },
        { -1, 1000, 1 << 20, 10, "Timeout" },
        { double.PositiveInfinity, 1000, 1 << 20, 10, "Timeout" },
        { 1, 0, 1 << 20, 10, "MaxStatements" },
        { 1, -5, 1 << 20, 10, "MaxStatements" },
        { 1, long.MaxValue, 1 << 20, 10, "MaxStatements" },
        { 1, int.MaxValue, 1 << 20, 10, "MaxStatements" },
        { 1, 1000, 0, 10, "MaxMemoryBytes" },
        { 1, 1000, long.MaxValue, 10, "MaxMemoryBytes" },
        { 1, 1000, 1 << 20, 0, "MaxRecursionDepth" },
        { 1, 1000, 1 << 20, int.MaxValue, "MaxRecursionDepth" },
    };

    [Theory]
    [MemberData(nameof(InvalidLimits))]
    public void Constructor_NotPositiveOrNotFinite_Rejected(double seconds, long statements, long memory, int recursion, string name)
    {
        var timeout = double.IsInfinity(seconds) ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxLimits(timeout, statements, memory, recursion));

        Assert.Equal(name, error.ParamName);
        Assert.Contains($"Sandbox limit {name}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MaxValueTimeout_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxLimits(TimeSpan.MaxValue, 1000, 1 << 20, 10));
    }

    [Theory]
    [InlineData(0, 1, 1, 1)]
    [InlineData(1, 0, 1, 1)]
    [InlineData(1, 1, -1, 1)]
    [InlineData(1, 1, 1, int.MaxValue)]
    public void Validate_GuardLimitsNotPositiveOrUnbounded_Rejected(int inputRows, int rowsPerRow, int stringLength, int arrayLength)
    {
        var limits = new SandboxLimits(TimeSpan.FromSeconds(1), 1000, 1 << 20, 10)
        {
            MaxInputRows = inputRows, MaxRowsPerInputRow = rowsPerRow, MaxStringLength = stringLength, MaxArrayLength = arrayLength,
        };

        Assert.Throws<ArgumentOutOfRangeException>(limits.Validate);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RuleRunner(RuleScript.Parse("function transform() {}", "r.js"), limits, RuleTestKit.Context));
    }

    [Fact]
    public void Default_IsFiniteAndValid()
    {
        var limits = SandboxLimits.Default;

        limits.Validate();
        Assert.Equal(TimeSpan.FromSeconds(2), limits.Timeout);
        Assert.Equal(1_000_000, limits.MaxStatements);
        Assert.Equal(64L * 1024 * 1024, limits.MaxMemoryBytes);
        Assert.Equal(200, limits.MaxRecursionDepth);
    }

    [Fact]
    public void Run_TooManyInputRows_Rejected()
    {
        var limits = new SandboxLimits(TimeSpan.FromSeconds(2), 100_000, 1 << 24, 50) { MaxInputRows = 2 };
        using var runner = RuleTestKit.Runner("declare('t', { columns: { id: 'int64' } });\nfunction transform(row) {}", limits);

        var error = Assert.Throws<ArgumentException>(() => RuleTestKit.Run(runner, "{\"id\":1}", "{\"id\":2}", "{\"id\":3}"));

        Assert.Contains("at most 2 rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TooManyRowsEmittedForOneInputRow_FailsEvenIfCaught()
    {
        var limits = new SandboxLimits(TimeSpan.FromSeconds(2), 100_000, 1 << 24, 50) { MaxRowsPerInputRow = 3 };

        var error = RuleTestKit.FailsWithin(limits, """
            declare('t', { columns: { id: 'int64', n: 'int64' } });
            function transform(row) { for (let n = 0; n < 10; n++) { try { emit('t', { id: row.id, n }); } catch (e) {} } }
            """);

        Assert.Contains("emitted more than 3 rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_InputTextLongerThanLimit_RowFails()
    {
        var limits = new SandboxLimits(TimeSpan.FromSeconds(2), 100_000, 1 << 24, 50) { MaxStringLength = 10 };

        var error = RuleTestKit.FailsWithin(limits, "declare('t', { columns: { id: 'int64' } });\nfunction transform(row) {}", """{"id": 1, "note": "far longer than ten"}""");

        Assert.Contains("text of 19 characters; rules accept at most 10", error.Message, StringComparison.Ordinal);
    }
}
