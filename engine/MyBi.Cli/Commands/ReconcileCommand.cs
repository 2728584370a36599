using System.CommandLine;
using System.Globalization;
using MyBi.Cli.Output;
using MyBi.Engine.Reconciliation;
using MyBi.Engine.State;
using MyBi.Hosting;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi reconcile PIPELINE [--from D --to D] [--dry-run]</c>.</summary>
internal static class ReconcileCommand
{
    // A terminal shows the first days; the journal holds every one of them (up to its own cap).
    private const int MaxDaysShown = 50;

    public static Command Create()
    {
        var pipeline = CommonOptions.Pipeline();
        var from = CommonOptions.Date("--from", "First day to compare (YYYY-MM-DD); defaults to the last reconcile.window_days days.");
        var to = CommonOptions.Date("--to", "Last day (inclusive) to compare; defaults to today.");
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the request estimate, compare and report; load nothing again." };
        var command = new Command("reconcile", "Compare the warehouse with the source per company and day; with reconcile.reload, load the differing days again.") { pipeline, from, to, dryRun };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            redact => ExecuteAsync(parse.GetValue(pipeline)!, parse.GetValue(from), parse.GetValue(to), parse.GetValue(dryRun), Console.Out, redact, ct),
            ct));
        return command;
    }

    public static async Task<int> ExecuteAsync(string path, DateOnly? from, DateOnly? to, bool dryRun, TextWriter output, Action<Redactor> useRedactor, CancellationToken cancellationToken)
    {
        var (loaded, redactor) = CliPipeline.Load(path, useRedactor);
        var job = loaded.CreateReconcileJob(from, to, dryRun);
        try
        {
            await using var destination = loaded.CreateDestination();
            if (dryRun)
            {
                var estimate = await ReconcileRunner.EstimateRequestsAsync(job, destination, cancellationToken).ConfigureAwait(false);
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"dry run: comparing {string.Join(", ", job.Sync.Streams)} for {job.Sync.From:yyyy-MM-dd}..{job.Sync.To:yyyy-MM-dd} reads the period as a sync of it would: at least {estimate} request(s) (pages of the period's rows in the warehouse, plus what the connector adds per company and window); nothing is loaded"));
            }

            var result = await new ReconcileRunner(EngineClock.Current).RunAsync(job, destination, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"{job.Sync.Pipeline} -> {destination.DisplayName}: {result.Status.ToText()}, run {result.RunId}");
            WriteDifferences(output, result.Differences);
            if (result.Reloaded.Count > 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reloaded {result.Reloaded.Count} day(s) with {result.ReloadRequests} request(s); second check: {(result.AfterReload.Count == 0 ? "matched" : "still differs")}"));
                WriteDifferences(output, result.AfterReload);
            }

            output.WriteLine(redactor.Line(result.Summary));
            return ExitCodes.Success;
        }
        finally
        {
            foreach (var transform in job.Sync.Transforms.Values)
            {
                transform.Dispose();
            }
        }
    }

    private static void WriteDifferences(TextWriter output, IReadOnlyList<DayDifference> differences)
    {
        if (differences.Count == 0)
        {
            return;
        }

        var rows = new List<object?[]>();
        foreach (var day in differences.Take(MaxDaysShown))
        {
            var date = day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            foreach (var row in day.Rows)
            {
                rows.Add([day.Table, day.CompanyId, date, row.Kind, row.Key, row.Field ?? "", row.Field is null ? "" : Text(row.WarehouseValue), row.Field is null ? "" : Text(row.SourceValue)]);
            }

            if (day.Unnamed > 0)
            {
                rows.Add([day.Table, day.CompanyId, date, "more", string.Create(CultureInfo.InvariantCulture, $"{day.Unnamed} more row(s)"), "", "", ""]);
            }
        }

        TableFormatter.WriteTable(output, ["table", "company", "day", "kind", "key", "field", "warehouse", "source"], rows);
        if (differences.Count > MaxDaysShown)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{differences.Count - MaxDaysShown} more differing day(s); see mybi journal PIPELINE --kind reconcile"));
        }
    }

    private static string Text(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
