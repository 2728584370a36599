using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Records;
using MyBi.Destinations.DuckDb;

namespace MyBi.Cli.Tests;

/// <summary>
/// Commands that never reach the source (`query`, `status`, `discover`) work on a machine that holds only the
/// warehouse: the source's secrets may be missing from the environment and the secrets file; `sync` still demands them.
/// </summary>
public sealed class SourceSecretsTests : IAsyncLifetime
{
    private const string Variable = "MYBI_SECRETLESS_USER_TOKEN";
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-secretless-").FullName;
    private string _pipeline = "";

    public async Task InitializeAsync()
    {
        _pipeline = Path.Combine(_folder, "reader.yaml");
        await File.WriteAllTextAsync(_pipeline, $$"""
            name: reader
            source:
              connector: yclients
              config: {partner_token: "${MYBI_SECRETLESS_PARTNER_TOKEN}", user_token: "${{{Variable}}}", company_id: 1}
              streams: [records]
            destination:
              type: duckdb
              path: ./reader.duckdb
            """);
        var schema = new TableSchema("notes", [new ColumnSchema("id", ColumnType.Int64)], ["id"]);
        await using var destination = new DuckDbDestination(new DuckDbDestinationOptions(Path.Combine(_folder, "reader.duckdb")));
        await destination.EnsureTableAsync(schema);
        await destination.WriteAsync(new RecordBatch(schema, [[1L], [2L], [3L]]), WriteMode.Merge);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Query_WithoutTheSourceSecrets_ReadsTheWarehouse()
    {
        var result = await CliProcess.RunAsync(_folder, null, "query", _pipeline, "select count(*) as n from notes", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3, System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement[0].GetProperty("n").GetInt64());
    }

    [Fact]
    public async Task StatusAndDiscover_WithoutTheSourceSecrets_Work()
    {
        var status = await CliProcess.RunAsync(_folder, null, "status", _pipeline);
        var discover = await CliProcess.RunAsync(_folder, null, "discover", _pipeline);

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("pipeline reader", status.Stdout, StringComparison.Ordinal);
        Assert.True(discover.ExitCode == 0, discover.ToString());
        Assert.Contains("records  key: id", discover.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_WithoutTheSourceSecrets_NamesTheMissingVariable()
    {
        var result = await CliProcess.RunAsync(_folder, null, "sync", _pipeline);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"environment variable {Variable} is not set", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was run", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_WithAnUnsetVariableOfTheDestination_IsStillAnError()
    {
        var pipeline = Path.Combine(_folder, "nodb.yaml");
        await File.WriteAllTextAsync(pipeline, (await File.ReadAllTextAsync(_pipeline)).Replace("./reader.duckdb", "${MYBI_SECRETLESS_DB}", StringComparison.Ordinal));

        var result = await CliProcess.RunAsync(_folder, null, "query", pipeline, "select 1");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("environment variable MYBI_SECRETLESS_DB is not set", result.Stderr, StringComparison.Ordinal);
    }
}
