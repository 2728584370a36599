using System.CommandLine;
using MyBi.Server;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi hooks url PIPELINE [--public-url URL]</c>.</summary>
internal static class HooksCommand
{
    public static Command Create()
    {
        var pipeline = CommonOptions.Pipeline();
        var publicUrl = new Option<string?>("--public-url") { Description = "The address YCLIENTS reaches this server at (https://host)." };
        var url = new Command("url", "Create the pipeline's webhook secret once (kept in .mybi/secrets.env) and print the URL for YCLIENTS.") { pipeline, publicUrl };
        url.SetAction((parse, ct) => CommandRunner.RunAsync(
            redact =>
            {
                var (loaded, _) = CliPipeline.Load(parse.GetValue(pipeline)!, redact);
                var secret = HookSecrets.GetOrCreate(loaded, Environment.GetEnvironmentVariable);
                var root = (parse.GetValue(publicUrl) ?? "http://127.0.0.1:8080").TrimEnd('/');
                Console.Out.WriteLine(root + HookSecrets.PathOf(loaded.Definition.Name, secret));
                return Task.FromResult(ExitCodes.Success);
            },
            ct));
        return new Command("hooks", "Webhook URLs of pipelines.") { url };
    }
}
