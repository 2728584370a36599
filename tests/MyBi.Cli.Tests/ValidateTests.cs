namespace MyBi.Cli.Tests;

public sealed class ValidateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-validate-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Validate_ThreeMistakes_ReportsAllWithPositionsAndTouchesNothing()
    {
        // Mistakes: line 4 company_id is text, line 6 unknown key 'streems', line 8 unknown destination type.
        var path = Path.Combine(_folder, "broken.yaml");
        await File.WriteAllTextAsync(path, """
            name: broken
            source:
              connector: yclients
              config: {partner_token: p, user_token: u, company_id: "abc"}
              streams: [records]
              streems: [clients]
            destination:
              type: duckbd
              path: ./never.duckdb
            """);

        var result = await CliProcess.RunAsync(_folder, null, "validate", path);

        Assert.True(result.ExitCode == 2, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith(path + ":", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains(lines, l => l.StartsWith($"{path}:6:", StringComparison.Ordinal) && l.Contains("streems", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{path}:8:", StringComparison.Ordinal) && l.Contains("destination.type", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{path}:4:", StringComparison.Ordinal) && l.Contains("company_id", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_folder, "never.duckdb")));
        Assert.Equal(["broken.yaml"], Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Validate_GoodFile_ExitsZero()
    {
        var path = Path.Combine(_folder, "good.yaml");
        await File.WriteAllTextAsync(path, """
            name: good
            source:
              connector: yclients
              config: {partner_token: "${PT}", user_token: u, company_id: 100001}
              streams: [records, clients]
            destination: {type: duckdb, path: ./w.duckdb}
            """);

        var result = await CliProcess.RunAsync(_folder, new Dictionary<string, string?> { ["PT"] = "secret-partner-token-value" }, "validate", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("secret-partner-token-value", result.All, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "w.duckdb")));
    }

    [Fact]
    public async Task Validate_UnsetEnvironmentVariable_IsPositionedError()
    {
        var path = Path.Combine(_folder, "env.yaml");
        await File.WriteAllTextAsync(path, """
            name: env
            source:
              connector: yclients
              config: {partner_token: "${MYBI_TEST_SURELY_UNSET_VARIABLE}", user_token: u, company_id: 1}
            destination: {type: duckdb, path: ./w.duckdb}
            """);

        var result = await CliProcess.RunAsync(_folder, null, "validate", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{path}:4:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("MYBI_TEST_SURELY_UNSET_VARIABLE", result.Stderr, StringComparison.Ordinal);
    }
}
