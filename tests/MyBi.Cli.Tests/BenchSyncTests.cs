using System.Text.RegularExpressions;

namespace MyBi.Cli.Tests;

/// <summary><c>mybi bench sync</c> runs end to end on the small size and prints its figures (no speed is asserted).</summary>
public sealed partial class BenchSyncTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-bench-sync-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task BenchSync_Small_PrintsRowsSecondsRatioCpuHeapAndLiveHeapForBothSizes()
    {
        var result = await CliProcess.RunAsync(_folder, null, "bench", "sync", "--rows", "small");

        Assert.True(result.ExitCode == 0, result.ToString());
        var output = result.Stdout;
        Assert.True(output.Contains("1 companies × 20 days × 40 records/day", StringComparison.Ordinal), output);
        // The small size is 1 company × 40 records a day: 5 days (+ today) and 20 days (+ today) of records, and
        // the ceiling's items are the same records plus the company object read first.
        Assert.True(Regex.IsMatch(output, @"quarter\s+5 days"), output);
        Assert.True(output.Contains("engine   240 rows in ", StringComparison.Ordinal), output);
        Assert.True(output.Contains("ceiling  241 items in ", StringComparison.Ordinal), output);
        Assert.True(Regex.IsMatch(output, @"full\s+20 days"), output);
        Assert.True(output.Contains("engine   840 rows in ", StringComparison.Ordinal), output);
        Assert.True(output.Contains("ceiling  841 items in ", StringComparison.Ordinal), output);
        Assert.True(Figure().Matches(output).Count == 2, output);
        Assert.True(Ratio().Matches(output).Count == 2, output);
        Assert.True(Memory().Matches(output).Count == 2, output);
        Assert.True(Live().Matches(output).Count == 2, output);
        Assert.True(output.Contains("engine live heap above the idle baseline", StringComparison.Ordinal), output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Theory]
    [InlineData("--batch-size", "0", "BatchSize must be at least 1 (got 0)")]
    [InlineData("--rounds", "99", "Rounds must be between 1 and 15 (got 99)")]
    public async Task BenchSync_WrongFlag_OneLineConfigErrorExit2_NothingRun(string flag, string value, string expected)
    {
        var result = await CliProcess.RunAsync(_folder, null, "bench", "sync", "--rows", "small", flag, value);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: Sync benchmark option {expected}.", result.Stderr.Trim());
        Assert.DoesNotContain("Sync benchmark:", result.Stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"engine   [\d,]+ rows in \d+\.\d\d s = [\d,]+ rows/s, CPU \d+\.\d µs/row")]
    private static partial Regex Figure();

    [GeneratedRegex(@"ratio    engine/ceiling \d+\.\d\d×")]
    private static partial Regex Ratio();

    [GeneratedRegex(@"memory   managed heap baseline [\d,]+ MB, peak [\d,]+ MB, steady [\d,]+ MB")]
    private static partial Regex Memory();

    [GeneratedRegex(@"live     heap after full collections \(one more engine run, untimed\): baseline [\d,]+ MB, peak [\d,]+ MB \([\d,]+ MB above\)")]
    private static partial Regex Live();
}
