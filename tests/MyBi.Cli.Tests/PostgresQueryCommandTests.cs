namespace MyBi.Cli.Tests;

/// <summary>`mybi query` on PostgreSQL with the test server's superuser, as a pipeline configured that way runs it.</summary>
public sealed class PostgresQueryCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-pgquery-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Query_AsSuperuser_WarnsInOneLineAndRefusesServerFiles()
    {
        var pipeline = await WritePipelineAsync(queryTimeout: null);

        var plain = await CliProcess.RunAsync(_folder, null, "query", pipeline, "select 42 as answer");
        var file = await CliProcess.RunAsync(_folder, null, "query", pipeline, "select pg_read_file('/etc/passwd')");

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("42", plain.Stdout, StringComparison.Ordinal);
        var warning = Assert.Single(plain.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("warning: ", warning, StringComparison.Ordinal);
        Assert.Contains("superuser", warning, StringComparison.Ordinal);
        Assert.True(file.ExitCode == 2, file.ToString());
        Assert.DoesNotContain("root:", file.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_PastTheQueryTimeout_EndsWithAClearError()
    {
        var pipeline = await WritePipelineAsync(queryTimeout: 1);

        var result = await CliProcess.RunAsync(_folder, null, "query", pipeline, "select pg_sleep(40)");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error: The query ran longer than the destination's query_timeout of 1 s", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_JsonAndCsv_StreamEveryRowOfALargeResult()
    {
        var pipeline = await WritePipelineAsync(queryTimeout: null);
        const string Sql = "select i, 'row ' || i as label from generate_series(1, 2500) as i order by i";

        var json = await CliProcess.RunAsync(_folder, null, "query", pipeline, Sql, "--json");
        var csv = await CliProcess.RunAsync(_folder, null, "query", pipeline, Sql, "--csv");

        Assert.True(json.ExitCode == 0, json.ToString());
        var rows = System.Text.Json.JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal(2500, rows.GetArrayLength());
        Assert.Equal("row 2500", rows[2499].GetProperty("label").GetString());
        Assert.Contains("superuser", json.Stderr, StringComparison.Ordinal);
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Equal(2501, csv.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private async Task<string> WritePipelineAsync(int? queryTimeout)
    {
        var connection = Environment.GetEnvironmentVariable("MYBI_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(connection))
        {
            Assert.Fail("MYBI_TEST_POSTGRES is not set. Start the test server with: eval \"$(bash .ci/postgres.sh start)\" (it prints export MYBI_TEST_POSTGRES=...), then run the tests again.");
        }

        var path = Path.Combine(_folder, "pg.yaml");
        var timeout = queryTimeout is null ? "" : $"\n  query_timeout: {queryTimeout}";
        await File.WriteAllTextAsync(path, $"""
            name: pg
            source:
              connector: yclients
              config: {"{"}partner_token: p, user_token: u, company_id: 1{"}"}
              streams: [records]
            destination:
              type: postgres
              connection: "{connection}"{timeout}
            """);
        return path;
    }
}
