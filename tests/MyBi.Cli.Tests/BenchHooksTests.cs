using System.Text.RegularExpressions;

namespace MyBi.Cli.Tests;

/// <summary><c>mybi bench hooks</c> runs end to end on a small load and prints its figures (no speed is asserted).</summary>
public sealed partial class BenchHooksTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-bench-hooks-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task BenchHooks_Small_PrintsRatesLatenciesAndEveryEventStoredAndApplied()
    {
        var connection = TestWarehouses.Required("MYBI_TEST_POSTGRES", "postgres");
        var result = await CliProcess.RunAsync(_folder, new Dictionary<string, string?> { ["MYBI_TEST_POSTGRES"] = connection }, "bench", "hooks", "--events", "100", "--concurrency", "4");

        Assert.True(result.ExitCode == 0, result.ToString());
        var output = result.Stdout;
        Assert.True(Target().Matches(output).Select(m => m.Groups[1].Value).SequenceEqual(["bare", "duckdb", "postgres"]), "targets: " + output);

        // Warm-up passes of 100 (at least two, until the runtime stops compiling) and the measured 100: every event
        // sent to a durable target is answered once, stored once and applied.
        Assert.True(Regex.Matches(output, @"\(100 answered 200, 0 not\)").Count == 3, "answers: " + output);
        var stored = Regex.Matches(output, @"stored ([\d,]+)/([\d,]+) events, ([\d,]+) records applied");
        Assert.True(stored.Count == 2, "stored: " + output);
        Assert.All(stored, m => Assert.True(m.Groups[1].Value == m.Groups[2].Value && m.Groups[3].Value == m.Groups[2].Value && int.Parse(m.Groups[2].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) >= 300, "stored: " + output));
        Assert.True(Regex.Matches(output, @"\d\.\d\dx bare; stored").Count == 2, "ratios: " + output);
        Assert.True(Regex.Matches(output, @"µs CPU/event").Count == 3, "CPU: " + output);

        // Each durable target waits for its applying after every round and says how long it went on.
        Assert.True(Regex.Matches(output, @"applying went on \d+\.\d\d s after the last answer \(median\): [\d,]+ events/s received and applied end to end").Count == 2, "applying: " + output);
    }

    [GeneratedRegex(@"^  (\w+)\s+[\d,]+ events/s  p50\s+\d+\.\d ms  p99\s+\d+\.\d ms", RegexOptions.Multiline)]
    private static partial Regex Target();
}
