namespace MyBi.Cli.Tests;

/// <summary>`mybi query` on ClickHouse streams every row with --json and --csv.</summary>
public sealed class ClickHouseQueryCommandTests : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-chquery-").FullName;
    private readonly TestWarehouses _warehouses = new("chq");

    public async ValueTask DisposeAsync()
    {
        await _warehouses.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Query_JsonAndCsv_StreamEveryRowOfALargeResult()
    {
        var pipeline = Path.Combine(_folder, "ch.yaml");
        await File.WriteAllTextAsync(pipeline, $$"""
            name: ch
            source:
              connector: yclients
              config: {partner_token: p, user_token: u, company_id: 1}
              streams: [records]
            destination: {{_warehouses.ClickHouse()}}
            """);
        var check = await CliProcess.RunAsync(_folder, null, "status", pipeline);
        Assert.True(check.ExitCode == 0, check.ToString());
        const string Sql = "select number as i, concat('row ', toString(number)) as label from system.numbers limit 2500";

        var json = await CliProcess.RunAsync(_folder, null, "query", pipeline, Sql, "--json");
        var csv = await CliProcess.RunAsync(_folder, null, "query", pipeline, Sql, "--csv");

        Assert.True(json.ExitCode == 0, json.ToString());
        var rows = System.Text.Json.JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal(2500, rows.GetArrayLength());
        Assert.Equal("row 2499", rows[2499].GetProperty("label").GetString());
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Equal(2501, csv.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
