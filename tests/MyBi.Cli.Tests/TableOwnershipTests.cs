using System.Globalization;
using ClickHouse.Driver;
using MyBi.Connectors.YClients.Sandbox;
using Npgsql;

namespace MyBi.Cli.Tests;

/// <summary>
/// Rules and report jobs write only tables they own, through the real <c>mybi</c> program: names that belong to the
/// engine, a stream, a report job or another rule are refused by <c>validate</c> with the rule file's place, and a
/// table another pipeline owns (recorded in the destination's _mybi_table_owners) fails the run before any row is
/// written, in DuckDB, PostgreSQL and ClickHouse alike.
/// </summary>
public sealed class TableOwnershipTests : IAsyncLifetime
{
    private const string StaffRule = """
        declare('staff_facts', { columns: { id: 'int64', name: 'string' }, key: ['id'] });
        function transform(row) { emit('staff_facts', { id: row.id, name: row.name }); }
        """;

    private static readonly DateOnly s_today = new(2026, 3, 2);
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-owners-").FullName;
    private readonly string _unique = "mybi_owners_" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<Func<Task>> _cleanup = [];
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { Seed = 31, Companies = 1, Today = s_today, RateLimitEnabled = false });
        _pipelines = new SandboxPipeline(_folder, _server);
        Directory.CreateDirectory(Path.Combine(_folder, "rules"));
    }

    public async Task DisposeAsync()
    {
        foreach (var cleanup in _cleanup)
        {
            await cleanup();
        }

        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string Rule(string name, string source)
    {
        var path = Path.Combine(_folder, "rules", name);
        File.WriteAllText(path, source);
        return path;
    }

    private Task<CliResult> SyncAsync(string pipeline) =>
        CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(s_today.AddDays(-5)), "--to", D(s_today.AddDays(-1)));

    [Theory]
    [InlineData("_mybi_state", "names starting with _mybi_ are reserved for the engine's own tables")]
    [InlineData("records", "the table belongs to stream 'records'")]
    public async Task Sync_RuleDeclaringAnotherOwnersTable_RefusedWithTheRulePlaceAndNothingChanges(string table, string reason)
    {
        // The victim loads staff and keeps a cursor; the rule of another pipeline in the same file tries to overwrite them.
        var victim = _pipelines.Write("victim", _pipelines.TokenConfig(), "[staff, records]", database: "shared");
        var first = await SyncAsync(victim);
        Assert.True(first.ExitCode == 0, first.ToString());
        var before = await _pipelines.QueryAsync(victim, "select * from _mybi_state order by pipeline");
        var recordsBefore = await _pipelines.QueryAsync(victim, "select * from records order by id");
        var rule = Rule("evil.js", $$"""
            // overwrites another pipeline's table
            declare('{{table}}', { columns: { pipeline: 'string', state: 'json', id: 'int64' }, key: ['pipeline'] });
            function transform(row) { emit('{{table}}', { pipeline: 'victim', state: { cursor: '2099-01-01' }, id: 1 }); }
            """);
        var evil = _pipelines.Write("evil", _pipelines.TokenConfig(), "[{name: staff, transform: rules/evil.js}]", database: "shared");

        var validate = await CliProcess.RunAsync(_folder, null, "validate", evil);
        var sync = await SyncAsync(evil);

        foreach (var result in new[] { validate, sync })
        {
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains($"{evil}:5:", result.Stderr, StringComparison.Ordinal);
            Assert.Contains($"{rule}:2:1: TypeError: declare('{table}'): {reason}", result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(before.ToString(), (await _pipelines.QueryAsync(victim, "select * from _mybi_state order by pipeline")).ToString());
        Assert.Equal(recordsBefore.ToString(), (await _pipelines.QueryAsync(victim, "select * from records order by id")).ToString());
    }

    [Fact]
    public async Task Validate_TwoRulesDeclaringOneTable_SecondRefusedWithItsPlace()
    {
        Rule("a.js", StaffRule);
        var second = Rule("b.js", "\n" + StaffRule);
        var pipeline = _pipelines.Write("two-rules", _pipelines.TokenConfig(), "[{name: staff, transform: rules/a.js}, {name: clients, transform: rules/b.js}]");

        var result = await CliProcess.RunAsync(_folder, null, "validate", pipeline);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{second}:2:1: TypeError: declare('staff_facts'): the table belongs to the rule of stream 'staff' of pipeline 'two-rules'", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("transform: /dev/zero", "it is a character device, not a regular file")]
    [InlineData("transform: rules", "it is a folder, not a file")]
    [InlineData("transform: rules/import.js", "import() is not available in rules")]
    [InlineData("transform: rules/many.js", "a rule may declare at most 50 tables (rules.max_tables)")]
    public async Task Validate_BadRuleFile_PositionedErrorBeforeAnythingRuns(string transform, string reason)
    {
        Rule("import.js", "declare('t', { columns: { id: 'int64' } });\nfunction transform(row) { return import('fs'); }\n");
        Rule("many.js", "for (let i = 0; i < 5000; i++) declare('t' + i, { columns: { id: 'int64' } });\nfunction transform(row) {}\n");
        var pipeline = _pipelines.Write("bad-rule", _pipelines.TokenConfig(), $"[{{name: staff, {transform}}}]");

        var validate = await CliProcess.RunAsync(_folder, null, "validate", pipeline);
        var sync = await SyncAsync(pipeline);

        foreach (var result in new[] { validate, sync })
        {
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains($"{pipeline}:5:", result.Stderr, StringComparison.Ordinal);
            Assert.Contains(reason, result.Stderr, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(Path.Combine(_folder, "bad-rule.duckdb")));
        Assert.Equal(0, _server.Stats.TotalRequests);
    }

    [Fact]
    public async Task Reports_TwoJobsNamingOneTable_RefusedByValidateAndAtRunTimeAcrossPipelines()
    {
        var from = s_today.AddDays(-12);
        var to = s_today.AddDays(-3);
        var expected = _server.Data.FinanceTransactionsBetween(_pipelines.CompanyId, from, to);
        Assert.NotEmpty(expected);
        var both = WriteReports("both", "both", """
              - name: Money in
                type: finance_transactions
                fields: [id, date, amount]
                fix_structure: true
              - name: money-in
                type: finance_transactions
                fields: [id, date, amount]
                fix_structure: true
            """);

        var validate = await CliProcess.RunAsync(_folder, null, "validate", both);

        Assert.True(validate.ExitCode == 2, validate.ToString());
        Assert.Contains($"{both}:12:", validate.Stderr, StringComparison.Ordinal);
        Assert.Contains("report jobs 'Money in' (line 8) and 'money-in' would both write table report_money_in", validate.Stderr, StringComparison.Ordinal);

        // Each pipeline alone is valid; the destination's owner record keeps the second from deleting the first's rows.
        var first = WriteReports("first", "money", "  - {name: Money in, type: finance_transactions, fields: [id, date, amount], fix_structure: true}");
        var second = WriteReports("second", "money", "  - {name: money-in, type: finance_transactions, fields: [id, date, amount], fix_structure: true}");
        var run = await CliProcess.RunAsync(_folder, null, "reports", "run", first, "Money in", "--from", D(from), "--to", D(to));
        Assert.True(run.ExitCode == 0, run.ToString());

        var clash = await CliProcess.RunAsync(_folder, null, "reports", "run", second, "money-in", "--from", D(from), "--to", D(to));

        Assert.True(clash.ExitCode == 2, clash.ToString());
        Assert.Contains("table 'report_money_in' belongs to report job 'Money in' of pipeline 'first', so report job 'money-in' of pipeline 'second' may not write it", clash.Stderr, StringComparison.Ordinal);
        var rows = await _pipelines.QueryOneAsync(first, "select count(*) as n from report_money_in");
        Assert.Equal(expected.Count, rows.GetProperty("n").GetInt64());
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    [InlineData("clickhouse")]
    public async Task Sync_RuleTableOfAnotherPipeline_FailsBeforeWritingInEveryDestination(string type)
    {
        var destination = Destination(type);
        Rule("staff.js", StaffRule);
        var owner = _pipelines.WriteTo("owner", _pipelines.TokenConfig(), "[{name: staff, transform: rules/staff.js}]", destination);
        var other = _pipelines.WriteTo("other", _pipelines.TokenConfig(), "[{name: staff, transform: rules/staff.js}]", destination);
        var staff = _server.Data.Staff(_pipelines.CompanyId).Count;

        var first = await SyncAsync(owner);
        Assert.True(first.ExitCode == 0, first.ToString());
        var again = await SyncAsync(owner);
        Assert.True(again.ExitCode == 0, again.ToString());
        var staffRequests = _server.Stats.RequestsByTemplate.GetValueOrDefault("/company/{company_id}/staff");

        var clash = await SyncAsync(other);

        Assert.True(clash.ExitCode == 2, clash.ToString());
        Assert.Contains("table 'staff_facts' belongs to the rule of stream 'staff' of pipeline 'owner', so the rule of stream 'staff' of pipeline 'other' may not write it", clash.Stderr, StringComparison.Ordinal);
        // Opening the session checks the company first; the stream itself is never read.
        Assert.Equal(staffRequests, _server.Stats.RequestsByTemplate.GetValueOrDefault("/company/{company_id}/staff"));
        var facts = await _pipelines.QueryOneAsync(owner, type == "clickhouse" ? "select count() as n from staff_facts FINAL" : "select count(*) as n from staff_facts");
        Assert.Equal(staff, facts.GetProperty("n").GetInt64());
        var owners = await _pipelines.QueryAsync(owner, (type == "clickhouse" ? "select table_name, pipeline, owner_kind, owner_name from _mybi_table_owners FINAL" : "select table_name, pipeline, owner_kind, owner_name from _mybi_table_owners"));
        var row = Assert.Single(owners.EnumerateArray());
        Assert.Equal("staff_facts", row.GetProperty("table_name").GetString());
        Assert.Equal("owner", row.GetProperty("pipeline").GetString());
        Assert.Equal("rule", row.GetProperty("owner_kind").GetString());
        Assert.Equal("stream:staff", row.GetProperty("owner_name").GetString());
    }

    private string WriteReports(string name, string database, string reports)
    {
        var path = Path.Combine(_folder, name + ".yaml");
        File.WriteAllText(path, $"""
            name: {name}
            source:
              connector: yclients
              config: {_pipelines.TokenConfig()}
              streams: [companies]
            destination: {"{"}type: duckdb, path: ./{database}.duckdb{"}"}
            reports:
            {reports}
            """);
        return path;
    }

    private string Destination(string type)
    {
        switch (type)
        {
            case "postgres":
                var pg = Required("MYBI_TEST_POSTGRES", "postgres");
                _cleanup.Add(async () =>
                {
                    await using var connection = new NpgsqlConnection(pg);
                    await connection.OpenAsync();
                    await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_unique}\" CASCADE", connection);
                    await command.ExecuteNonQueryAsync();
                });
                return $"{{type: postgres, connection: {Quote(pg)}, schema: {_unique}}}";
            case "clickhouse":
                var ch = Required("MYBI_TEST_CLICKHOUSE", "clickhouse");
                _cleanup.Add(async () =>
                {
                    using var client = new ClickHouseClient(ch);
                    await client.ExecuteNonQueryAsync($"DROP DATABASE IF EXISTS `{_unique}`", null!, null!, default);
                });
                return $"{{type: clickhouse, connection: {Quote(ch)}, database: {_unique}}}";
            default:
                return "{type: duckdb, path: ./owned.duckdb}";
        }
    }

    private static string Required(string variable, string script)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Assert.Fail($"{variable} is not set. Start the test server with: eval \"$(bash .ci/{script}.sh start)\" (it prints export {variable}=...), then run the tests again.");
        }

        return value!;
    }

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
