using System.CommandLine;
using MyBi.Cli.Output;
using MyBi.Engine.Retention;
using MyBi.Engine.State;
using MyBi.Hosting;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi retention PIPELINE [--dry-run]</c>.</summary>
internal static class RetentionCommand
{
    public static Command Create()
    {
        var pipeline = CommonOptions.Pipeline();
        var dryRun = new Option<bool>("--dry-run") { Description = "Count the rows that would be deleted; delete nothing." };
        var command = new Command("retention", "Delete rows older than the pipeline's retention.days from its stream tables.") { pipeline, dryRun };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            redact => ExecuteAsync(parse.GetValue(pipeline)!, parse.GetValue(dryRun), Console.Out, redact, ct),
            ct));
        return command;
    }

    public static async Task<int> ExecuteAsync(string path, bool dryRun, TextWriter output, Action<Redactor> useRedactor, CancellationToken cancellationToken)
    {
        var (loaded, redactor) = CliPipeline.Load(path, useRedactor);
        var job = loaded.CreateRetentionJob(dryRun);
        await using var destination = loaded.CreateDestination();
        var result = await new RetentionRunner(EngineClock.Current).RunAsync(job, destination, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"{job.Pipeline} -> {destination.DisplayName}: {result.Status.ToText()}, run {result.RunId}");
        var rows = result.Tables.Select(t => new object?[] { t.Table, t.DateColumn, t.WouldDelete, t.Deleted }).ToList();
        rows.Add(["total", "", result.TotalWouldDelete, result.TotalDeleted]);
        TableFormatter.WriteTable(output, ["table", "dated by", "would delete", "deleted"], rows);
        output.WriteLine(redactor.Line(result.Summary));
        return ExitCodes.Success;
    }
}
