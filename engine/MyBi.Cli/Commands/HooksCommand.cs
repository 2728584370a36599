using System.CommandLine;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Webhooks;
using MyBi.Hosting;
using MyBi.Server;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi hooks url|register|status PIPELINE</c>.</summary>
internal static class HooksCommand
{
    private const string DefaultRoot = "http://127.0.0.1:8080";

    public static Command Create()
    {
        var pipeline = CommonOptions.Pipeline();
        var publicUrl = new Option<string?>("--public-url") { Description = "The address YCLIENTS reaches this server at (https://host)." };
        var url = new Command("url", "Create the pipeline's webhook secret once (kept in .mybi/secrets.env) and print the URL for YCLIENTS.") { pipeline, publicUrl };
        url.SetAction((parse, ct) => CommandRunner.RunAsync(
            redact =>
            {
                var (loaded, _) = CliPipeline.Load(parse.GetValue(pipeline)!, redact);
                Console.Out.WriteLine(OurUrl(loaded, parse.GetValue(publicUrl)));
                return Task.FromResult(ExitCodes.Success);
            },
            ct));

        var registerPipeline = CommonOptions.Pipeline();
        var registerUrl = new Option<string>("--public-url") { Description = "The address YCLIENTS reaches `mybi serve` at (https://host).", Required = true };
        var register = new Command("register", "Add the pipeline's webhook URL in YCLIENTS for every company of the pipeline (keeping the URLs already there) and turn on the events of the streams it loads.") { registerPipeline, registerUrl };
        register.SetAction((parse, ct) => CommandRunner.RunAsync(
            async redact =>
            {
                var (loaded, _) = CliPipeline.Load(parse.GetValue(registerPipeline)!, redact);
                var root = parse.GetValue(registerUrl)!;
                if (!Uri.TryCreate(root, UriKind.Absolute, out var rootUri) || rootUri.Scheme is not ("https" or "http"))
                {
                    throw Abstractions.Errors.MyBiException.Config($"--public-url must be an http(s) address such as https://etl.example.com (got '{root}').");
                }

                var ours = OurUrl(loaded, root);
                var streams = loaded.SelectedStreams.Count > 0 ? loaded.SelectedStreams : [.. loaded.Connector.Streams.Select(s => s.Name)];
                await using var session = await ConnectAsync(loaded, ct).ConfigureAwait(false);
                var saved = await session.SubscribeWebhooksAsync(ours, streams, ct).ConfigureAwait(false);
                Console.Out.WriteLine($"registered {Mask(ours)} for {saved.Count} compan{(saved.Count == 1 ? "y" : "ies")}:");
                Print(saved, ours);
                return ExitCodes.Success;
            },
            ct));

        var statusPipeline = CommonOptions.Pipeline();
        var status = new Command("status", "Show the webhook settings YCLIENTS has for every company of the pipeline (secrets masked).") { statusPipeline };
        status.SetAction((parse, ct) => CommandRunner.RunAsync(
            async redact =>
            {
                var (loaded, _) = CliPipeline.Load(parse.GetValue(statusPipeline)!, redact);
                var secret = HookSecrets.Find(loaded, Environment.GetEnvironmentVariable);
                var ourPath = secret is null ? null : HookSecrets.PathOf(loaded.Definition.Name, secret);
                await using var session = await ConnectAsync(loaded, ct).ConfigureAwait(false);
                Print(await session.WebhookSubscriptionsAsync(ct).ConfigureAwait(false), ourPath);
                return ExitCodes.Success;
            },
            ct));
        return new Command("hooks", "Webhook URLs of pipelines, and their registration in the source.") { url, register, status };
    }

    /// <summary>A URL with every part that may be a secret hidden: long path segments, query values, user info.</summary>
    internal static string Mask(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "***";
        }

        var path = string.Join('/', uri.AbsolutePath.Split('/').Select(s => s.Length >= 16 ? "***" : s));
        var query = uri.Query.Length > 1
            ? "?" + string.Join('&', uri.Query[1..].Split('&').Select(p => p.Split('=')[0] + "=***"))
            : "";
        return $"{uri.Scheme}://{uri.Authority}{path}{query}";
    }

    private static string OurUrl(LoadedPipeline loaded, string? root)
    {
        var secret = HookSecrets.GetOrCreate(loaded, Environment.GetEnvironmentVariable);
        return (root ?? DefaultRoot).TrimEnd('/') + HookSecrets.PathOf(loaded.Definition.Name, secret);
    }

    private static async Task<SourceSession> ConnectAsync(LoadedPipeline loaded, CancellationToken ct)
    {
        var context = new SourceContext { Config = loaded.Definition.Source.Config, BaseDirectory = loaded.Definition.BaseDirectory, TimeProvider = EngineClock.Current };
        return await loaded.Connector.ConnectAsync(context, ct).ConfigureAwait(false);
    }

    /// <param name="ours">Our URL, or its path: the entry that matches is marked.</param>
    private static void Print(IReadOnlyList<WebhookSubscription> subscriptions, string? ours)
    {
        foreach (var subscription in subscriptions)
        {
            Console.Out.WriteLine($"company {subscription.Account}: sending {(subscription.Active ? "on" : "off")}, {subscription.Urls.Count} URL(s)");
            foreach (var address in subscription.Urls)
            {
                var mine = ours is not null && (address == ours || (Uri.TryCreate(address, UriKind.Absolute, out var u) && u.AbsolutePath == ours));
                Console.Out.WriteLine($"  url {Mask(address)}{(mine ? "  (this pipeline)" : "")}");
            }

            Console.Out.WriteLine($"  on:  {Kinds(subscription, true)}");
            Console.Out.WriteLine($"  off: {Kinds(subscription, false)}");
        }
    }

    private static string Kinds(WebhookSubscription subscription, bool on)
    {
        var names = subscription.Kinds.Where(k => k.Value == on).Select(k => k.Key).ToList();
        return names.Count == 0 ? "-" : string.Join(", ", names);
    }
}
