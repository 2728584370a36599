using System.CommandLine;
using System.Text;
using MyBi.Abstractions.Destinations;
using MyBi.Cli.Output;
using MyBi.Hosting;

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
        var limit = new Option<int?>("--limit") { Description = "Most rows to print (a positive whole number); the table shows 1,000 by default and says when it cuts; --json and --csv stream every row." };
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
                var (loaded, redactor) = CliPipeline.Load(parse.GetValue(pipeline)!, redact, credentials: SourceCredentials.NotNeeded);
                await using var destination = loaded.CreateDestination();
                var machine = parse.GetValue(json) || parse.GetValue(csv);
                if (machine && parse.GetValue(limit) is null)
                {
                    await StreamAsync(destination, parse.GetValue(sql)!, parse.GetValue(json), redactor, ct).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                var result = await destination.QueryAsync(parse.GetValue(sql)!, parse.GetValue(limit) ?? 1000, ct).ConfigureAwait(false);
                await WriteWarningsAsync(result.Warnings, redactor).ConfigureAwait(false);
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

    /// <summary>
    /// Every row, written as it is read through a buffered writer of standard output, so neither the rows nor the
    /// text pile up in memory whatever the size of the result.
    /// </summary>
    private static async Task StreamAsync(Destination destination, string sql, bool json, Redactor redactor, CancellationToken cancellationToken)
    {
        var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        await using (output.ConfigureAwait(false))
        {
            var jsonWriter = json ? new JsonRowWriter(output) : null;
            var warnings = await destination.QueryStreamAsync(sql, jsonWriter ?? (QueryRowSink)new CsvRowWriter(output), cancellationToken).ConfigureAwait(false);
            jsonWriter?.Complete();
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await WriteWarningsAsync(warnings, redactor).ConfigureAwait(false);
        }
    }

    private static async Task WriteWarningsAsync(IReadOnlyList<string> warnings, Redactor redactor)
    {
        foreach (var warning in warnings)
        {
            await Console.Error.WriteLineAsync(redactor.Apply($"warning: {TableFormatter.Printable(warning)}")).ConfigureAwait(false);
        }
    }
}
