namespace MyBi.Pipelines.Tests;

public sealed class ReconcileBlockTests
{
    [Fact]
    public void Parse_ReconcileBlock_BindsEveryKey()
    {
        var result = TestFiles.Parse("""
            name: checked
            source:
              connector: yclients
            destination:
              type: duckdb
            reconcile: {streams: [records, finance_transactions], window_days: 14, reload: true, max_named_rows: 5}
            """);

        var reconcile = Assert.IsType<PipelineDefinition>(result.Definition).Reconcile!;
        Assert.Equal(["records", "finance_transactions"], reconcile.Streams);
        Assert.Equal((14, true, 5), (reconcile.WindowDays, reconcile.Reload, reconcile.MaxNamedRows));
    }

    [Fact]
    public void Parse_EmptyReconcileBlock_AppliesDefaults()
    {
        var result = TestFiles.Parse("""
            name: checked
            source:
              connector: yclients
            destination:
              type: duckdb
            reconcile: {}
            """);

        var reconcile = Assert.IsType<PipelineDefinition>(result.Definition).Reconcile!;
        Assert.Empty(reconcile.Streams);
        Assert.Equal((ReconcileDefinition.DefaultWindowDays, false, ReconcileDefinition.DefaultMaxNamedRows), (reconcile.WindowDays, reconcile.Reload, reconcile.MaxNamedRows));
    }

    [Fact]
    public void Parse_BadReconcileValues_PositionedErrors()
    {
        var result = TestFiles.Parse("""
            name: checked
            source:
              connector: yclients
            destination:
              type: duckdb
            reconcile: {streams: [], window_days: 0, reload: maybe, days: 3}
            """);

        var errors = TestFiles.Describe(result.Errors);
        Assert.Null(result.Definition);
        Assert.Contains(errors, e => e.Contains("reconcile.streams", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("reconcile.window_days", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("reconcile.reload", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("reconcile.days: unknown key 'days'", StringComparison.Ordinal));
    }
}
