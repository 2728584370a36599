namespace MyBi.Cli.Tests;

/// <summary><c>MYBI_NOW</c> pins the engine's clock: the month, "today" and run stamps follow it, not the machine.</summary>
public sealed class EngineClockTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-clock-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    // 22:00 on July 31st in UTC-5 is already August 1st in UTC: the plan's month is the UTC one.
    [InlineData("2031-07-31T22:00:00-05:00", "2031-08")]
    [InlineData("2028-02-29T23:50:00Z", "2028-02")]
    [InlineData("2031-01-01T00:00:00.250+03:00", "2030-12")]
    public async Task Status_MybiNowPinned_ReportsTheMonthOfThePinnedInstant(string pinned, string month)
    {
        var pipeline = WritePipeline();

        var status = await CliProcess.RunAsync(_folder, new Dictionary<string, string?> { ["MYBI_NOW"] = pinned }, "status", pipeline);

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"rows written in {month}: 0", status.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("2031-07-31T22:00:00")]
    [InlineData("2031-07-31")]
    [InlineData("2031-13-01T00:00:00Z")]
    [InlineData("31.07.2031 22:00 +03:00")]
    public async Task AnyCommand_MalformedMybiNow_OneLineConfigErrorExit2(string pinned)
    {
        var pipeline = WritePipeline();

        var status = await CliProcess.RunAsync(_folder, new Dictionary<string, string?> { ["MYBI_NOW"] = pinned }, "status", pipeline);

        Assert.True(status.ExitCode == 2, status.ToString());
        var line = Assert.Single(status.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: MYBI_NOW must be an ISO 8601 instant", line, StringComparison.Ordinal);
        Assert.Contains(pinned, line, StringComparison.Ordinal);
        Assert.Empty(status.Stdout);
        Assert.False(File.Exists(Path.Combine(_folder, "clock.duckdb")));
    }

    private string WritePipeline()
    {
        var path = Path.Combine(_folder, "clock.yaml");
        File.WriteAllText(path, """
            name: clock
            source:
              connector: yclients
              config: {partner_token: p, user_token: u, company_id: 1}
              streams: [records]
            destination:
              type: duckdb
              path: ./clock.duckdb
            """);
        return path;
    }
}
