using System.CommandLine;
using MyBi.Cli.Output;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi query PIPELINE "SQL"</c>: a read-only query against the pipeline's destination.</summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var pipeline = CommonOptions.Pipeline();
        var sql = new Argument<string>("sql") { Description = "A read-only SQL query in the destination's dialect." };
        var json = CommonOptions.Json();
        var csv = new Option<bool>("--csv") { Description = "Print CSV (a header line, then every row) instead of a table." };
        var limit = new Option<int?>("--limit") { Description = "Most rows to print (a positive whole number); the table shows 1,000 by default, --json and --csv every row." };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError($"--limit must be a positive whole number of rows, not {result.GetValueOrDefault<int?>()}.");
            }
        });
        var command = new Command("query", "Run a read-only SQL query against the pipeline's destination.") { pipeline, sql, json, csv, limit };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            async redact =>
            {
                var (loaded, redactor) = CliPipeline.Load(parse.GetValue(pipeline)!, redact);
                await using var destination = loaded.CreateDestination();
                var machine = parse.GetValue(json) || parse.GetValue(csv);
                var result = await destination.QueryAsync(parse.GetValue(sql)!, parse.GetValue(limit) ?? (machine ? int.MaxValue : 1000), ct).ConfigureAwait(false);
                foreach (var warning in result.Warnings)
                {
                    await Console.Error.WriteLineAsync(redactor.Apply($"warning: {TableFormatter.Printable(warning)}")).ConfigureAwait(false);
                }

                if (result.Truncated && machine)
                {
                    await Console.Error.WriteLineAsync($"warning: only the first {result.Rows.Count} rows were printed (--limit).").ConfigureAwait(false);
                }

                if (parse.GetValue(json))
                {
                    TableFormatter.WriteJson(Console.Out, result.Columns, result.Rows);
                }
                else if (parse.GetValue(csv))
                {
                    TableFormatter.WriteCsv(Console.Out, result.Columns, result.Rows);
                }
                else
                {
                    TableFormatter.WriteTable(Console.Out, result.Columns, result.Rows);
                    Console.Out.WriteLine($"({result.Rows.Count} row{(result.Rows.Count == 1 ? "" : "s")}{(result.Truncated ? ", more not shown: raise --limit" : "")})");
                }

                return ExitCodes.Success;
            },
            ct));
        return command;
    }
}
