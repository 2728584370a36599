using System.Globalization;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

public sealed class ReportsTests : IAsyncLifetime
{
    private static readonly DateOnly s_today = TestClock.Today;
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-reports-").FullName;
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { Seed = 11, Companies = 1, Today = s_today, TimeProvider = TestClock.Running });
        _pipelines = new SandboxPipeline(_folder, _server);
        var rules = Path.Combine(_folder, "rules");
        Directory.CreateDirectory(rules);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Examples", "rules")))
        {
            File.Copy(file, Path.Combine(rules, Path.GetFileName(file)));
        }
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string Write(string name, string reports)
    {
        var path = Path.Combine(_folder, name + ".yaml");
        File.WriteAllText(path, $$"""
            name: {{name}}
            source:
              connector: yclients
              config: {{_pipelines.TokenConfig()}}
              streams: [companies]
            destination: {type: duckdb, path: ./{{name}}.duckdb}
            reports:
            {{reports}}
            """);
        return path;
    }

    private IReadOnlyList<SandboxFinanceTransaction> Payments(DateOnly from, DateOnly to) =>
        _server.Data.FinanceTransactionsBetween(_pipelines.CompanyId, from, to);

    [Fact]
    public async Task ReportsRun_JsonFixedAndRules_MatchTheSandboxAndReloadWithoutDuplicates()
    {
        var from = s_today.AddDays(-12);
        var to = s_today.AddDays(-3);
        var pipeline = Write("fin", """
              - name: Finance by day
                type: finance_transactions
                fields: [id, date, amount, account.title, expense.title, client.id]
                refresh: {lookback_days: 7}
              - name: Payments typed
                type: finance_transactions
                fields: [id, date, amount, account.title]
                fix_structure: true
              - name: Payments shaped
                type: finance_transactions
                fields: [id, date, amount, account.title, expense.title, record_id]
                rules: rules/payments.js
            """);
        var expected = Payments(from, to);
        Assert.NotEmpty(expected);

        var list = await CliProcess.RunAsync(_folder, null, "reports", "list", pipeline);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("Payments shaped", list.Stdout, StringComparison.Ordinal);

        foreach (var job in new[] { "Finance by day", "Payments typed", "Payments shaped", "Finance by day" })
        {
            var run = await CliProcess.RunAsync(_folder, null, "reports", "run", pipeline, job, "--from", D(from), "--to", D(to));
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        var json = await _pipelines.QueryOneAsync(pipeline, """
            select count(*) as n, count(distinct row_key) as keys,
                   sum(cast(json_extract_string(data, '$."amount"') as decimal(18,2))) as amount,
                   sum(case when json_extract_string(data, '$."account.title"') is not null then 1 else 0 end) as with_account
            from yclients_reports where job_name = 'Finance by day'
            """);
        Assert.Equal(expected.Count, json.GetProperty("n").GetInt64());
        Assert.Equal(expected.Count, json.GetProperty("keys").GetInt64());
        Assert.Equal(expected.Sum(p => p.Amount), json.GetProperty("amount").GetDecimal());
        Assert.Equal(expected.Count, json.GetProperty("with_account").GetInt64());

        var typed = await _pipelines.QueryOneAsync(pipeline, "select count(*) as n, sum(amount) as amount, count(account_title) as titled from report_payments_typed");
        Assert.Equal(expected.Count, typed.GetProperty("n").GetInt64());
        Assert.Equal(expected.Sum(p => p.Amount), typed.GetProperty("amount").GetDecimal());
        Assert.Equal(expected.Count, typed.GetProperty("titled").GetInt64());

        var nonZero = expected.Where(p => p.Amount != 0).ToList();
        var shaped = await _pipelines.QueryOneAsync(pipeline, """
            select (select count(*) from payments) as n, (select sum(amount) from payments) as amount,
                   (select count(*) from payments where is_income) as income,
                   (select count(*) from payment_labels where label = 'record') as with_record
            """);
        Assert.Equal(nonZero.Count, shaped.GetProperty("n").GetInt64());
        Assert.Equal(nonZero.Sum(p => p.Amount), shaped.GetProperty("amount").GetDecimal());
        Assert.Equal(nonZero.Count(p => p.Amount > 0), shaped.GetProperty("income").GetInt64());
        Assert.Equal(nonZero.Count(p => p.RecordId > 0), shaped.GetProperty("with_record").GetInt64());
    }

    [Fact]
    public async Task Validate_NameLongerThan64_IsPositionedError()
    {
        var pipeline = Write("long", $"""
              - name: {new string('x', 65)}
                type: finance_transactions
                fields: [id, amount]
            """);

        var result = await CliProcess.RunAsync(_folder, null, "validate", pipeline);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{pipeline}:8:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("64", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnknownReportField_IsPositionedError()
    {
        var pipeline = Write("field", """
              - name: ok
                type: finance_transactions
                fields: [id, amount, account.titel]
            """);

        var result = await CliProcess.RunAsync(_folder, null, "validate", pipeline);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{pipeline}:10:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("account.titel", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportsRun_EndlessLoopRule_FailsCleanlyNamingTheRuleAndWritesNothing()
    {
        var pipeline = Write("loop", """
              - name: Loop
                type: finance_transactions
                fields: [id, amount]
                rules: rules/endless.js
            """);

        var result = await CliProcess.RunAsync(_folder, null, "reports", "run", pipeline, "Loop", "--from", D(s_today.AddDays(-5)), "--to", D(s_today));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("endless.js", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
        var never = await _pipelines.QueryOneAsync(pipeline, "select count(*) as n from never");
        Assert.Equal(0, never.GetProperty("n").GetInt64());
    }

    [Fact]
    public async Task ReportsRun_RowThatDoesNotFit_FailsOrIsQuarantined()
    {
        var from = s_today.AddDays(-6);
        var to = s_today.AddDays(-1);
        var expected = Payments(from, to);
        var failing = Write("misfit", """
              - name: Misfit
                type: finance_transactions
                fields: [id, amount]
                rules: rules/misfit.js
            """);
        var failed = await CliProcess.RunAsync(_folder, null, "reports", "run", failing, "Misfit", "--from", D(from), "--to", D(to));
        Assert.Equal(2, failed.ExitCode);
        Assert.Contains("misfit.js", failed.Stderr, StringComparison.Ordinal);
        Assert.Contains("'id'", failed.Stderr, StringComparison.Ordinal);

        var quarantining = Write("quarantine", """
              - name: Misfit
                type: finance_transactions
                fields: [id, amount]
                rules: rules/misfit.js
                on_error: quarantine
            """);
        var run = await CliProcess.RunAsync(_folder, null, "reports", "run", quarantining, "Misfit", "--from", D(from), "--to", D(to));
        Assert.True(run.ExitCode == 0, run.ToString());
        var counts = await _pipelines.QueryOneAsync(quarantining, "select (select count(*) from misfit) as loaded, (select count(*) from _mybi_quarantine) as quarantined");
        Assert.Equal(expected.Count(p => p.Id % 2 != 0), counts.GetProperty("loaded").GetInt64());
        Assert.Equal(expected.Count(p => p.Id % 2 == 0), counts.GetProperty("quarantined").GetInt64());
    }
}
