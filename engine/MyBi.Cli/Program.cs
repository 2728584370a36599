using System.CommandLine;
using MyBi.Cli;
using MyBi.Abstractions.Errors;
using MyBi.Cli.Commands;
using MyBi.Hosting;

try
{
    EngineClock.Start(Environment.GetEnvironmentVariable(EngineClock.Variable));
}
catch (MyBiException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
    return ExitCodes.InvalidInput;
}

var root = new RootCommand("mybi: load YCLIENTS (and other connector plugins) into DuckDB, PostgreSQL or ClickHouse.")
{
    DemoCommand.Create(),
    ConnectCommand.Create(),
    CheckCommand.Create(),
    SandboxCommand.Create(),
    ValidateCommand.Create(),
    DiscoverCommand.Create(),
    SyncCommand.Create(),
    RetentionCommand.Create(),
    ReconcileCommand.Create(),
    QueryCommand.Create(),
    StatusCommand.Create(),
    JournalCommand.Create(),
    PluginsCommand.Create(),
    ReportsCommand.Create(),
    BenchCommand.Create(),
    ServeCommand.Create(),
    HooksCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
    }

    await Console.Error.WriteLineAsync("Run 'mybi --help' for usage.").ConfigureAwait(false);
    return ExitCodes.InvalidInput;
}

// A stop (Ctrl+C, SIGTERM) lets the command finish what it holds: `mybi serve` applies the events it committed, a
// sync keeps the batches written so far. The command line library's own handler is off: it ended the process with
// 143 while a server was still stopping. A second signal ends the process at once.
using var stop = new StopSignals();
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token).ConfigureAwait(false);
