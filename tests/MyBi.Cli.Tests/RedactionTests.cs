namespace MyBi.Cli.Tests;

public sealed class RedactionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-redaction-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ErrorQuotingASecretInAnotherCase_PrintedRedacted()
    {
        const string token = "AbCd-Secret-Token";
        var environment = new Dictionary<string, string?> { ["PT"] = token };
        var path = Path.Combine(_folder, "red.yaml");
        await File.WriteAllTextAsync(path, """
            name: red
            source:
              connector: yclients
              config: {partner_token: "${PT}", user_token: u, company_id: 1}
            destination: {type: duckdb, path: ./w.duckdb}
            """);
        using (var connection = new DuckDB.NET.Data.DuckDBConnection($"DataSource={Path.Combine(_folder, "w.duckdb")}"))
        {
            connection.Open();
        }

        // The database's error quotes the literal, upper-cased, as an API may echo a token in its own spelling.
        var query = await CliProcess.RunAsync(_folder, environment, "query", path, $"select cast('{token.ToUpperInvariant()}' as integer)");

        Assert.NotEqual(0, query.ExitCode);
        Assert.Contains("'***'", query.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(token, query.All, StringComparison.OrdinalIgnoreCase);
    }
}
