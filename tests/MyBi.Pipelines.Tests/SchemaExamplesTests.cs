namespace MyBi.Pipelines.Tests;

/// <summary>Every example under schemas/examples: valid ones load, invalid ones fail with exactly their <c># expect:</c> errors.</summary>
public sealed class SchemaExamplesTests
{
    private const string ExpectPrefix = "# expect: ";

    public static TheoryData<string> ValidExamples() => Files("valid");

    public static TheoryData<string> InvalidExamples() => Files("invalid");

    [Theory]
    [MemberData(nameof(ValidExamples))]
    public void Load_ValidExample_Succeeds(string name)
    {
        var result = PipelineParser.Load(Path.Combine(TestFiles.Examples, "valid", name), TestFiles.Lookup);

        Assert.Empty(result.Errors.Select(e => e.ToString()));
        Assert.NotNull(result.Definition);
    }

    [Theory]
    [MemberData(nameof(InvalidExamples))]
    public void Load_InvalidExample_FailsWithTheExpectedErrors(string name)
    {
        var path = Path.Combine(TestFiles.Examples, "invalid", name);
        var expected = File.ReadAllLines(path)
            .Where(line => line.StartsWith(ExpectPrefix, StringComparison.Ordinal))
            .Select(line => line[ExpectPrefix.Length..])
            .ToList();
        Assert.NotEmpty(expected);

        var result = PipelineParser.Load(path, TestFiles.Lookup);

        Assert.False(result.Success);
        Assert.Null(result.Definition);
        Assert.Equal(expected, TestFiles.Describe(result.Errors));
        Assert.All(result.Errors, e => Assert.Equal(path, e.File));
    }

    [Fact]
    public void Examples_BothFoldersHaveFixtures()
    {
        Assert.True(ValidExamples().Count >= 5);
        Assert.True(InvalidExamples().Count >= 20);
    }

    private static TheoryData<string> Files(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(TestFiles.Examples, folder), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }
}
