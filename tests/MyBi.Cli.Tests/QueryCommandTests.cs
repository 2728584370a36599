using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Records;
using MyBi.Destinations.DuckDb;

namespace MyBi.Cli.Tests;

/// <summary>`mybi query` on a DuckDB warehouse: what it may read, how it prints, which limits it accepts.</summary>
public sealed class QueryCommandTests : IAsyncLifetime
{
    private const string Token = "u-tok-2f8e61c7d94b";
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-query-").FullName;
    private string _pipeline = "";

    public async Task InitializeAsync()
    {
        _pipeline = Path.Combine(_folder, "shop.yaml");
        await File.WriteAllTextAsync(_pipeline, """
            name: shop
            source:
              connector: yclients
              config: {partner_token: p, user_token: u, company_id: 1}
              streams: [records]
            destination:
              type: duckdb
              path: ./shop.duckdb
            """);
        Directory.CreateDirectory(Path.Combine(_folder, ".mybi"));
        await File.WriteAllTextAsync(Path.Combine(_folder, ".mybi", "secrets.env"), $"YCLIENTS_USER_TOKEN={Token}\n");

        var schema = new TableSchema(
            "notes",
            [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("text", ColumnType.String)],
            ["id"]);
        await using var destination = new DuckDbDestination(new DuckDbDestinationOptions(Path.Combine(_folder, "shop.duckdb")));
        await destination.EnsureTableAsync(schema);
        await destination.WriteAsync(new RecordBatch(schema, [[1L, "plain"], [2L, "red \u001b[31mALERT\u001b[0m\nsecond line\u009b2J"]]), WriteMode.Merge);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Query_ReadTextOfASystemFile_IsRefused()
    {
        var result = await QueryAsync("select content from read_text('/etc/passwd')");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.DoesNotContain("root:", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_ReadCsvOfTheSecretsFile_IsRefusedAndShowsNoToken()
    {
        var result = await QueryAsync("select * from read_csv('.mybi/secrets.env', delim = '=', header = false)");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.DoesNotContain(Token, result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_GlobOverAFolder_IsRefused()
    {
        var result = await QueryAsync($"select file from glob('{_folder}/*')");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.DoesNotContain("shop.yaml", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_ReadCsvOverHttp_IsRefusedWithoutInstallingAnything()
    {
        var result = await QueryAsync("select * from read_csv('http://127.0.0.1:1/x.csv')");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.DoesNotContain("httpfs", result.All, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("install", result.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Query_ListsStructsAndMaps_PrintAsJsonText()
    {
        var result = await QueryAsync("select [1, 2, 3] as l, {'a': 1, 'b': 'x'} as s, map(['k'], [[true]]) as m");

        Assert.True(result.ExitCode == 0, result.ToString());
        var row = result.Stdout.Split('\n')[2];
        Assert.Contains("[1,2,3]", row, StringComparison.Ordinal);
        Assert.Contains("""{"a":1,"b":"x"}""", row, StringComparison.Ordinal);
        Assert.Contains("""{"k":[true]}""", row, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_ListsAndStructs_AreNestedJsonWithJson()
    {
        var result = await QueryAsync("select [1, 2] as l, {'a': 'x'} as s", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var row = System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement[0];
        Assert.Equal(System.Text.Json.JsonValueKind.Array, row.GetProperty("l").ValueKind);
        Assert.Equal("x", row.GetProperty("s").GetProperty("a").GetString());
    }

    [Fact]
    public async Task Query_ControlCharactersInCellsAndNames_AreEscapedAndLongCellsCut()
    {
        var result = await QueryAsync("select text, repeat('w', 500) as wide, 1 as \"bad\u001b]0;title\u0007name\" from notes where id = 2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain('\u001b', result.Stdout);
        Assert.DoesNotContain('\u009b', result.Stdout);
        Assert.DoesNotContain('\u0007', result.Stdout);
        Assert.Contains("red \\x1b[31mALERT", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("bad\\x1b]0;title\\x07name", result.Stdout, StringComparison.Ordinal);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Contains("\\nsecond line", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain(new string('w', 61), result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_MemoryLimitAndThreadsOfThePipeline_AreApplied()
    {
        var limited = Path.Combine(_folder, "limited.yaml");
        await File.WriteAllTextAsync(limited, (await File.ReadAllTextAsync(_pipeline)) + "\n  memory_limit: 512MB\n  threads: 1\n");

        var result = await CliProcess.RunAsync(_folder, null, "query", limited, "select current_setting('memory_limit') as m, current_setting('threads') as t", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var row = System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement[0];
        Assert.Equal("488.2 MiB", row.GetProperty("m").GetString());
        Assert.Equal(1, row.GetProperty("t").GetInt64());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task Query_LimitNotPositive_IsAUsageError(string limit)
    {
        var result = await QueryAsync("select 1", $"--limit={limit}");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--limit must be a positive whole number", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Query_JsonAndCsv_StreamEveryRowPastTheTableLimit()
    {
        const string Sql = "select i, 'row ' || i as label from range(2500) t(i) order by i";

        var json = await QueryAsync(Sql, "--json");
        var csv = await QueryAsync(Sql, "--csv");
        var table = await QueryAsync(Sql);

        Assert.True(json.ExitCode == 0, json.ToString());
        var rows = System.Text.Json.JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal(2500, rows.GetArrayLength());
        Assert.Equal(2499, rows[2499].GetProperty("i").GetInt64());
        Assert.Equal("row 2499", rows[2499].GetProperty("label").GetString());
        Assert.Equal("", json.Stderr);
        Assert.True(csv.ExitCode == 0, csv.ToString());
        var lines = csv.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2501, lines.Length);
        Assert.Equal("i,label", lines[0]);
        Assert.Equal("2499,row 2499", lines[^1]);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.EndsWith("(1000 rows, more not shown: raise --limit)", table.Stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_EmptyResultWithJson_IsAnEmptyArray()
    {
        var result = await QueryAsync("select * from notes where id < 0", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0, System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement.GetArrayLength());
    }

    private Task<CliResult> QueryAsync(string sql, params string[] options) =>
        CliProcess.RunAsync(_folder, null, ["query", _pipeline, sql, .. options]);
}
