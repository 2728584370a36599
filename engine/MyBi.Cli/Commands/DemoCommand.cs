using System.CommandLine;
using System.Globalization;
using MyBi.Hosting;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Cli.Commands;

/// <summary>
/// <c>mybi demo</c>: starts the sandbox, writes a pipeline file for it, syncs a month of one company into
/// ./mybi-demo.duckdb through the same path as <c>mybi sync</c>, and says where to look next.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var days = new Option<int>("--days") { Description = "Days of history to load.", DefaultValueFactory = _ => 30 };
        var output = new Option<string>("--out") { Description = "The DuckDB file to write.", DefaultValueFactory = _ => "mybi-demo.duckdb" };
        var command = new Command("demo", "Start the sandbox and load a month of one company into an embedded DuckDB file.") { days, output };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            redact => RunAsync(parse.GetValue(days), parse.GetValue(output)!, redact, ct),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(int days, string databasePath, Action<Output.Redactor> redact, CancellationToken cancellationToken)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Companies = 1, Port = 0, TimeProvider = EngineClock.Current }, cancellationToken).ConfigureAwait(false);
        var company = server.Data.Companies[0];
        var databaseFull = Path.GetFullPath(databasePath);
        var pipelinePath = Path.ChangeExtension(databaseFull, ".yaml");
        await File.WriteAllTextAsync(pipelinePath, PipelineText(server.BaseUrl, company.Id, Path.GetFileName(databaseFull)), cancellationToken).ConfigureAwait(false);

        Console.Out.WriteLine($"Sandbox running at {server.BaseUrl} (company {company.Id}, {company.Title}).");
        Console.Out.WriteLine($"Loading {days} days into {databaseFull} ...");
        var today = DateOnly.FromDateTime(EngineClock.Current.GetUtcNow().UtcDateTime);
        var code = await SyncCommand.ExecuteAsync(
            new SyncArguments(pipelinePath, today.AddDays(-days), today, null),
            Console.Out,
            redact,
            cancellationToken).ConfigureAwait(false);
        if (code != ExitCodes.Success)
        {
            return code;
        }

        var relative = Path.GetRelativePath(Environment.CurrentDirectory, pipelinePath);
        await PrintAnswersAsync(pipelinePath, redact, cancellationToken).ConfigureAwait(false);
        Console.Out.WriteLine();
        Console.Out.WriteLine("Where to look next:");
        Console.Out.WriteLine($"  mybi query {relative} \"{RevenueQuestion}\"");
        Console.Out.WriteLine($"  mybi query {relative} \"{StaffQuestion}\"");
        Console.Out.WriteLine($"  mybi query {relative} \"select * from v_clients order by spent desc limit 10\"");
        Console.Out.WriteLine($"  mybi status {relative}        # cursors, runs and rows written");
        Console.Out.WriteLine($"  duckdb {Path.GetRelativePath(Environment.CurrentDirectory, databaseFull)}  # or any DuckDB client");
        Console.Out.WriteLine("  mybi sandbox                  # keep an emulator running to try your own pipeline files");
        return ExitCodes.Success;
    }

    private const string RevenueQuestion =
        "select date_local, revenue, visits, average_check, no_shows, cancellations from v_revenue_daily order by date_local desc limit 7";

    private const string StaffQuestion =
        "select staff_name, sum(records) as visits, sum(revenue) as revenue from v_staff_daily group by 1 order by 3 desc limit 5";

    /// <summary>The first questions an owner asks, answered from the analysis views the sync created.</summary>
    private static async Task PrintAnswersAsync(string pipelinePath, Action<Output.Redactor> redact, CancellationToken cancellationToken)
    {
        var (loaded, _) = CliPipeline.Load(pipelinePath, redact);
        await using var destination = loaded.CreateDestination();
        foreach (var (title, sql) in new[] { ("Revenue of the last 7 local days (visits that happened):", RevenueQuestion), ("Staff by revenue:", StaffQuestion) })
        {
            var result = await destination.QueryAsync(sql, 20, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine();
            Console.Out.WriteLine(title);
            Output.TableFormatter.WriteTable(Console.Out, result.Columns, result.Rows);
        }
    }

    private static string PipelineText(Uri baseUrl, long companyId, string databaseFile) => string.Create(CultureInfo.InvariantCulture, $$"""
        # Written by `mybi demo`. The tokens below are the sandbox's public test credentials;
        # for a real account reference them as ${YCLIENTS_PARTNER_TOKEN} and keep them out of this file.
        name: mybi-demo
        source:
          connector: yclients
          config:
            base_url: {{baseUrl}}
            partner_token: {{SandboxCredentials.PartnerToken}}
            user_token: {{SandboxCredentials.UserToken}}
            company_id: {{companyId}}
          streams: [companies, records, record_services, record_goods, clients, services, service_categories, staff]
        destination:
          type: duckdb
          path: ./{{databaseFile}}
        """);
}
