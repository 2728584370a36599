using System.CommandLine;
using MyBi.Cli.Output;
using MyBi.Engine.Reports;
using MyBi.Engine.Running;
using MyBi.Engine.State;
using MyBi.Hosting;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi reports list PIPELINE</c> and <c>mybi reports run PIPELINE NAME [--from --to]</c>.</summary>
internal static class ReportsCommand
{
    public static Command Create()
    {
        var command = new Command("reports", "Custom report exports defined under reports: in a pipeline file.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Run());
        return command;
    }

    private static Command List()
    {
        var pipeline = CommonOptions.Pipeline();
        var command = new Command("list", "List the pipeline's report jobs and when each last ran.") { pipeline };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            async redact =>
            {
                var (loaded, _) = CliPipeline.Load(parse.GetValue(pipeline)!, redact);
                var definition = loaded.Definition;
                await using var destination = loaded.CreateDestination();
                var runs = await new RunStore(destination).LoadRunsAsync(definition.Name, ct).ConfigureAwait(false);
                var rows = definition.Reports.Select(r =>
                {
                    var last = runs.FirstOrDefault(x => x.Kind == $"report:{r.Name}");
                    var target = r.RulesPath is not null ? $"rules {Path.GetFileName(r.RulesPath)}" : r.FixStructure ? ReportTables.FixedTableName(r.Name) : $"{loaded.Connector.Name}_reports";
                    return new object?[] { r.Name, r.Type, r.Fields.Count, target, last is null ? "never" : $"{last.Status.ToText()} {last.StartedAt:yyyy-MM-dd HH:mm}", last?.PeriodTo };
                }).ToList();
                TableFormatter.WriteTable(Console.Out, ["name", "type", "fields", "lands in", "last run", "loaded up to"], rows);
                return ExitCodes.Success;
            },
            ct));
        return command;
    }

    private static Command Run()
    {
        var pipeline = CommonOptions.Pipeline();
        var name = new Argument<string>("name") { Description = "The report job's name." };
        var from = CommonOptions.Date("--from", "First day to export (YYYY-MM-DD); without it the job continues from its last run minus the lookback.");
        var to = CommonOptions.Date("--to", "Last day (inclusive); defaults to today.");
        var command = new Command("run", "Run one report job.") { pipeline, name, from, to };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            async redact =>
            {
                var (loaded, redactor) = CliPipeline.Load(parse.GetValue(pipeline)!, redact);
                var job = loaded.CreateReportJob(parse.GetValue(name)!, parse.GetValue(from), parse.GetValue(to));
                var report = loaded.Definition.Reports.First(r => r.Name == job.Name);
                await using var destination = loaded.CreateDestination();
                var progress = TerminalProgress.ForConsole(EngineClock.Current, redactor);
                RunResult result;
                try
                {
                    result = await new ReportRunner(EngineClock.Current, progress).RunAsync(job, destination, ct).ConfigureAwait(false);
                }
                finally
                {
                    progress.Finish();
                }

                Console.Out.WriteLine($"report '{report.Name}' ({report.Type}) -> {destination.DisplayName}: {result.Status.ToText()}, run {result.RunId}");
                var rows = result.RowsByTable.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new object?[] { kv.Key, kv.Value }).ToList();
                TableFormatter.WriteTable(Console.Out, ["table", "rows"], rows);
                if (result.Message is not null)
                {
                    Console.Out.WriteLine(redactor.Line(result.Message));
                }

                return result.Status == RunStatus.Succeeded ? ExitCodes.Success : ExitCodes.RunFailed;
            },
            ct));
        return command;
    }
}
