namespace MyBi.Cli.Tests;

public sealed class ValidateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-validate-").FullName;

    /// <summary>The longest line the CLI prints for one message, before its ellipsis.</summary>
    private const int TerminalLineLimit = 500;

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
    public async Task Validate_DeeplyNestedYaml_PositionedErrorInsteadOfACrash()
    {
        var path = Path.Combine(_folder, "deep.yaml");
        await File.WriteAllTextAsync(path, "x: " + new string('[', 40_000));

        var result = await CliProcess.RunAsync(_folder, null, "validate", path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{path}:1:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nested more than 64 levels deep", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ControlCharactersAndHugeTextInMessages_PrintedEscapedOnOneCappedLine()
    {
        // A duplicate key is quoted in its error: this one holds an escape sequence that would retitle the terminal
        // and a newline that would forge a line of output.
        var path = Path.Combine(_folder, "escapes.yaml");
        await File.WriteAllTextAsync(path, """
            name: escapes
            source:
              connector: yclients
              config:
                "\e]0;pwned\afake\nerror: forged": 1
                "\e]0;pwned\afake\nerror: forged": 2
            destination: {type: duckdb}
            """);

        var result = await CliProcess.RunAsync(_folder, null, "validate", path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.DoesNotContain('\u001b', result.All);
        Assert.DoesNotContain('\u0007', result.All);
        Assert.DoesNotContain("\nerror: forged", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(@"\u001b]0;pwned\u0007fake\nerror: forged", result.Stderr, StringComparison.Ordinal);

        // And an unknown key that the error quotes twice (path and message), far longer than a line.
        var longKey = new string('k', 1000);
        await File.WriteAllTextAsync(path, $"name: long\n{longKey}: 1\nsource:\n  connector: yclients\n  config: {{partner_token: p, user_token: u, company_id: 1}}\ndestination: {{type: duckdb}}\n");

        var capped = await CliProcess.RunAsync(_folder, null, "validate", path);

        Assert.True(capped.ExitCode == 2, capped.ToString());
        var lines = capped.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, line => Assert.True(line.Length <= TerminalLineLimit + 1, $"{line.Length} characters"));
        Assert.Contains(lines, line => line.StartsWith($"{path}:", StringComparison.Ordinal) && line.EndsWith('…'));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://api.example.com/api/v1")]
    public async Task Validate_BaseUrlNotHttp_PositionedError(string baseUrl)
    {
        var path = Path.Combine(_folder, "scheme.yaml");
        await File.WriteAllTextAsync(path, $$"""
            name: scheme
            source:
              connector: yclients
              config: {base_url: "{{baseUrl}}", partner_token: p, user_token: u, company_id: 1}
            destination: {type: duckdb, path: ./w.duckdb}
            """);

        var result = await CliProcess.RunAsync(_folder, null, "validate", path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{path}:4:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("source.config.base_url: must be an http:// or https:// address", result.Stderr, StringComparison.Ordinal);
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
