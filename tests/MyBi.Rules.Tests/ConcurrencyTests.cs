using System.Text.Json.Nodes;

namespace MyBi.Rules.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Run_OneScriptTwoRunnersOnTwoThreads_EachGetsItsOwnCorrectRows()
    {
        var script = RuleScript.Parse(
            """
            declare('doubled', { columns: { id: 'int64', twice: 'int64', worker: 'string' }, key: ['id'] });
            let seen = 0;
            function transform(row, ctx) { seen++; emit('doubled', { id: row.id, twice: row.id * 2, worker: ctx.job + ':' + seen }); }
            """,
            "rules/doubled.js");
        using var start = new Barrier(2);

        RuleBatchResult[] Work(string job, int offset)
        {
            using var runner = new RuleRunner(script, SandboxLimits.Default, new RuleContext(job, new DateOnly(2025, 1, 1)));
            start.SignalAndWait();
            return Enumerable.Range(0, 20)
                .Select(batch => runner.Run(
                    Enumerable.Range(0, 500).Select(i => new JsonObject { ["id"] = offset + (batch * 500) + i }).ToList(),
                    r => r["id"]!.ToJsonString(),
                    CancellationToken.None))
                .ToArray();
        }

        var results = await Task.WhenAll(
            Task.Factory.StartNew(() => Work("a", 0), TaskCreationOptions.LongRunning),
            Task.Factory.StartNew(() => Work("b", 1_000_000), TaskCreationOptions.LongRunning));

        foreach (var (batches, job, offset) in new[] { (results[0], "a", 0), (results[1], "b", 1_000_000) })
        {
            var rows = batches.SelectMany(b => b.Tables["doubled"].Rows).ToList();
            Assert.Equal(10_000, rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                Assert.Equal((long)(offset + i), rows[i][0]);
                Assert.Equal((long)(offset + i) * 2, rows[i][1]);
                // Each row starts from the top level's values: the counter never carries over, within or across runners.
                Assert.Equal($"{job}:1", rows[i][2]);
            }
        }
    }
}
