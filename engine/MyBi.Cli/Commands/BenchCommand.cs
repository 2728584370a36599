using System.CommandLine;
using MyBi.Benchmarks;

namespace MyBi.Cli.Commands;

/// <summary>
/// <c>mybi bench load</c> (the engine's load path against the raw driver ceiling) and <c>mybi bench rules</c>
/// (a load with and without a mapping rule). Tools that print figures; nothing here asserts a speed.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure load speed against the raw driver (figures and ratios).");
        command.Subcommands.Add(Load());
        command.Subcommands.Add(Rules());
        return command;
    }

    private static Command Load()
    {
        var destination = new Option<string>("--destination") { Description = "postgres or clickhouse.", DefaultValueFactory = _ => "postgres" };
        destination.AcceptOnlyFromAmong("postgres", "clickhouse");
        var rows = new Option<long>("--rows") { Description = "Rows to generate.", DefaultValueFactory = _ => 1_000_000 };
        var batch = new Option<int>("--batch-size") { Description = "Rows per engine write.", DefaultValueFactory = _ => LoadBenchmarkOptions.DefaultBatchSize };
        var connection = new Option<string?>("--connection") { Description = "Connection string (default: MYBI_TEST_POSTGRES / MYBI_TEST_CLICKHOUSE)." };
        var keep = new Option<bool>("--keep") { Description = "Keep the benchmark tables afterwards." };
        var command = new Command("load", "Engine load path vs raw binary COPY / InsertBinaryAsync of the same rows, in one run.") { destination, rows, batch, connection, keep };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            async _ =>
            {
                var options = new LoadBenchmarkOptions
                {
                    Destination = parse.GetValue(destination) == "clickhouse" ? BenchmarkDestination.ClickHouse : BenchmarkDestination.Postgres,
                    Rows = parse.GetValue(rows),
                    BatchSize = parse.GetValue(batch),
                    ConnectionString = parse.GetValue(connection),
                    KeepTables = parse.GetValue(keep),
                };
                options.Validate();
                await LoadBenchmark.RunAsync(options, Console.Out, ct).ConfigureAwait(false);
                return ExitCodes.Success;
            },
            ct));
        return command;
    }

    private static Command Rules()
    {
        var rows = new Option<int>("--rows") { Description = "Rows to generate.", DefaultValueFactory = _ => 200_000 };
        var batch = new Option<int>("--batch-size") { Description = "Rows per batch.", DefaultValueFactory = _ => 5000 };
        var command = new Command("rules", "Rows/s into DuckDB through a simple mapping rule vs the same load without rules.") { rows, batch };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            async _ =>
            {
                await RulesBenchmark.RunAsync(Math.Max(1, parse.GetValue(rows)), Math.Max(1, parse.GetValue(batch)), Console.Out, ct).ConfigureAwait(false);
                return ExitCodes.Success;
            },
            ct));
        return command;
    }
}
