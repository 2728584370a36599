using System.CommandLine;
using MyBi.Hosting;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi sandbox</c>: runs the YCLIENTS emulator on loopback until Ctrl+C.</summary>
internal static class SandboxCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 8765 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data.", DefaultValueFactory = _ => 42 };
        var companies = new Option<int>("--companies") { Description = "Number of companies (branches).", DefaultValueFactory = _ => 2 };
        var days = new Option<int>("--days") { Description = "Days of records before today.", DefaultValueFactory = _ => 60 };
        var perDay = new Option<int?>("--records-per-day") { Description = "Exactly this many records per company and day (default: about 4 per employee, varying)." };
        var faults = new Option<double>("--fault-rate") { Description = "Share of requests answered with HTTP 500 (0..1).", DefaultValueFactory = _ => 0 };
        var noLimit = new Option<bool>("--no-rate-limit") { Description = "Do not enforce 5 requests/s and 200/min." };
        var webhookUrls = new Option<string[]>("--webhook-url") { Description = "Post a webhook for every change to this URL too (besides the URLs set through /hooks_settings); may be repeated.", AllowMultipleArgumentsPerToken = false };
        var changes = new Option<int>("--changes-per-minute") { Description = "Create, change or delete this many records a minute, each announced with a webhook.", DefaultValueFactory = _ => 0 };
        var command = new Command("sandbox", "Run the YCLIENTS sandbox (our emulator of the API) on 127.0.0.1.") { port, seed, companies, days, perDay, faults, noLimit, webhookUrls, changes };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            async _ =>
            {
                var options = new SandboxOptions
                {
                    Port = parse.GetValue(port),
                    Seed = parse.GetValue(seed),
                    Companies = parse.GetValue(companies),
                    DaysBack = parse.GetValue(days),
                    RecordsPerDay = parse.GetValue(perDay),
                    FaultRate = parse.GetValue(faults),
                    RateLimitEnabled = !parse.GetValue(noLimit),
                    TimeProvider = EngineClock.Current,
                    WebhookUrls = parse.GetValue(webhookUrls) ?? [],
                    ChangesPerMinute = parse.GetValue(changes),
                };
                FlagCheck.Run(options.Validate);

                await using var server = await SandboxServer.StartAsync(options, ct).ConfigureAwait(false);
                Console.Out.WriteLine($"YCLIENTS sandbox at {server.BaseUrl}");
                Console.Out.WriteLine($"  partner_token: {SandboxCredentials.PartnerToken}");
                Console.Out.WriteLine($"  login: {SandboxCredentials.Login}  password: {SandboxCredentials.Password}  user_token: {SandboxCredentials.UserToken}");
                Console.Out.WriteLine($"  companies: {string.Join(", ", server.Data.Companies.Select(c => c.Id))}");
                foreach (var target in options.WebhookUrls)
                {
                    Console.Out.WriteLine($"  webhooks to: {target}");
                }

                if (options.ChangesPerMinute > 0)
                {
                    Console.Out.WriteLine($"  changing {options.ChangesPerMinute} record(s) a minute");
                }

                Console.Out.WriteLine("Press Ctrl+C to stop.");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    Console.Out.WriteLine("sandbox stopped.");
                }

                return ExitCodes.Success;
            },
            ct));
        return command;
    }
}
