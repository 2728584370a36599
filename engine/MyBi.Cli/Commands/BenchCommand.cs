using System.CommandLine;
using MyBi.Benchmarks;
using MyBi.Hosting;
using MyBi.Pipelines;
using MyBi.Plugins.Hosting;

namespace MyBi.Cli.Commands;

/// <summary>
/// <c>mybi bench load</c> (the engine's load path against the raw driver ceiling), <c>mybi bench sync</c> (a sync
/// from the sandbox against fetching and parsing the same pages) and <c>mybi bench rules</c> (a load with and
/// without a mapping rule) and <c>mybi bench hooks</c> (the webhook receiver against a bare endpoint). Tools that print figures; nothing here asserts a speed.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure load speed against the raw driver (figures and ratios).");
        command.Subcommands.Add(Load());
        command.Subcommands.Add(Sync());
        command.Subcommands.Add(Rules());
        command.Subcommands.Add(Hooks());
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
                FlagCheck.Run(options.Validate);
                await LoadBenchmark.RunAsync(options, Console.Out, ct).ConfigureAwait(false);
                return ExitCodes.Success;
            },
            ct));
        return command;
    }

    private static Command Sync()
    {
        var size = new Option<string>("--rows") { Description = "Volume: small (1 company × 20 days), medium (2 × 120) or large (5 companies × 365 days × 130 records).", DefaultValueFactory = _ => "large" };
        size.AcceptOnlyFromAmong("small", "medium", "large");
        var companies = new Option<int?>("--companies") { Description = "Companies in the sandbox (overrides the size's)." };
        var days = new Option<int?>("--days") { Description = "Days of history (overrides the size's)." };
        var perDay = new Option<int?>("--records-per-day") { Description = "Records per company and day (overrides the size's)." };
        var rounds = new Option<int?>("--rounds") { Description = "Measured rounds per size; the median is printed." };
        var streams = new Option<string>("--streams") { Description = "Comma-separated streams (all read from the /records pages).", DefaultValueFactory = _ => "records" };
        var batch = new Option<int?>("--batch-size") { Description = "Rows per engine write (default: the pipeline default)." };
        var command = new Command("sync", "A sync from the in-process sandbox (no rate limit) into DuckDB vs fetching and parsing the same pages, in one run.") { size, companies, days, perDay, rounds, streams, batch };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            async _ =>
            {
                var connector = PluginCatalog.Discover(PluginDirectories.Resolve(null)).GetConnector("yclients");
                var preset = SyncBenchmarkOptions.ForSize(parse.GetValue(size)!, connector);
                var options = new SyncBenchmarkOptions
                {
                    Connector = connector,
                    Companies = parse.GetValue(companies) ?? preset.Companies,
                    Days = parse.GetValue(days) ?? preset.Days,
                    RecordsPerDay = parse.GetValue(perDay) ?? preset.RecordsPerDay,
                    Rounds = parse.GetValue(rounds) ?? preset.Rounds,
                    TimeProvider = EngineClock.Current,
                    Streams = parse.GetValue(streams)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    BatchSize = parse.GetValue(batch) ?? SyncDefinition.DefaultBatchSize,
                };
                FlagCheck.Run(options.Validate);
                await SyncBenchmark.RunAsync(options, Console.Out, ct).ConfigureAwait(false);
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

    private static Command Hooks()
    {
        var events = new Option<int>("--events") { Description = "Events sent to each target per round.", DefaultValueFactory = _ => 10_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "HTTP clients sending at once.", DefaultValueFactory = _ => 64 };
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds; the median round per target is printed.", DefaultValueFactory = _ => 1 };
        var connection = new Option<string?>("--postgres") { Description = "PostgreSQL connection string of the PostgreSQL target (default: MYBI_TEST_POSTGRES; without one, PostgreSQL is left out)." };
        var command = new Command("hooks", "Webhook events/s answered 200 with a durable commit into DuckDB and PostgreSQL vs a bare Kestrel endpoint, in one run.") { events, concurrency, rounds, connection };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            async _ =>
            {
                var options = new HooksBenchmarkOptions
                {
                    Events = parse.GetValue(events),
                    Concurrency = parse.GetValue(concurrency),
                    Rounds = parse.GetValue(rounds),
                    PostgresConnection = parse.GetValue(connection) ?? (Environment.GetEnvironmentVariable("MYBI_TEST_POSTGRES") is { Length: > 0 } fromEnvironment ? fromEnvironment : null),
                    TimeProvider = EngineClock.Current,
                };
                FlagCheck.Run(options.Validate);
                await HooksBenchmark.RunAsync(options, Console.Out, ct).ConfigureAwait(false);
                return ExitCodes.Success;
            },
            ct));
        return command;
    }
}
