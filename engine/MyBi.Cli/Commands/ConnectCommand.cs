using System.CommandLine;
using System.Text.RegularExpressions;
using MyBi.Abstractions.Errors;
using MyBi.Cli.Hosting;
using MyBi.Cli.Output;
using MyBi.Hosting;
using MyBi.Plugins.Hosting;

namespace MyBi.Cli.Commands;

/// <summary>
/// <c>mybi connect CONNECTOR [--out FILE] [--force] [--base-url URL] [--partner-token T] [--login L] [--password P]
/// [--code C] [--company ID] [--plugins-dir DIR]</c>: runs the connector's connect dialog, writes the pipeline file
/// and keeps the tokens it references in <c>.mybi/secrets.env</c> beside it. Nothing secret is printed or written
/// into the pipeline file.
/// </summary>
internal static partial class ConnectCommand
{
    public static Command Create()
    {
        var connector = new Argument<string>("connector") { Description = "The connector plugin id, e.g. yclients." };
        var output = new Option<string?>("--out") { Description = "The pipeline file to write; defaults to the name the connector suggests, in the current folder." };
        var force = new Option<bool>("--force") { Description = "Replace the pipeline file if it already exists." };
        var pluginsDir = new Option<string?>("--plugins-dir") { Description = "An extra folder to search for the connector plugin first." };
        var answers = new (string Key, Option<string?> Option)[]
        {
            Answer("base_url", "The API address, to connect to another server than the public API (e.g. a sandbox)."),
            Answer("partner_token", "The partner (developer) token. Safer from MYBI_CONNECT_PARTNER_TOKEN or typed at the prompt."),
            Answer("login", "The login (for YCLIENTS: phone like 79161234567, or e-mail)."),
            Answer("password", "The password; used to log in, never stored. Safer from MYBI_CONNECT_PASSWORD or typed at the prompt."),
            Answer("code", "A two-factor code, when the account asks for one."),
            Answer("company", "The company (branch) id to load, instead of choosing at the prompt."),
        };

        var command = new Command("connect", "Log in to a source, pick what to load and write a ready pipeline file (tokens go to .mybi/secrets.env).")
        {
            connector, output, force, pluginsDir,
        };
        foreach (var (_, option) in answers)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            redact => ExecuteAsync(
                new ConnectArguments(
                    parse.GetValue(connector)!,
                    parse.GetValue(output),
                    parse.GetValue(force),
                    parse.GetValue(pluginsDir),
                    answers.Select(a => new KeyValuePair<string, string?>(a.Key, parse.GetValue(a.Option))).ToList()),
                parse.InvocationConfiguration.Output,
                parse.InvocationConfiguration.Error,
                redact,
                ct),
            ct));
        return command;
    }

    public static async Task<int> ExecuteAsync(ConnectArguments arguments, TextWriter output, TextWriter dialog, Action<Redactor> useRedactor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var environment = Environment.GetEnvironmentVariables().Keys.OfType<string>().ToList();
        var answers = ConsoleConnectPrompt.Answers(arguments.Answers, Environment.GetEnvironmentVariable, environment);
        // Anything given in advance may be a secret; messages quote input, so all of it is redacted.
        useRedactor(new Redactor(answers.Where(a => a.Key is not ("base_url" or "login" or "company")).Select(a => a.Value)));

        if (arguments.OutputPath is { } requested)
        {
            RefuseExisting(Path.GetFullPath(requested), arguments.Force);
        }

        var catalog = PluginCatalog.Discover(PluginDirectories.Resolve(arguments.PluginsDirectory));
        var connector = catalog.GetConnector(arguments.Connector);
        var prompt = ConsoleConnectPrompt.ForConsole(answers, dialog);
        var result = await connector.ConnectInteractiveAsync(prompt, EngineClock.Current, cancellationToken).ConfigureAwait(false);
        useRedactor(new Redactor(answers.Where(a => a.Key is not ("base_url" or "login" or "company")).Select(a => a.Value).Concat(result.Secrets.Values)));
        Check(result.PipelineYaml, result.Secrets, answers, connector.Name);

        var path = Path.GetFullPath(arguments.OutputPath ?? SafeFileName(result.SuggestedFileName, connector.Name));
        RefuseExisting(path, arguments.Force);
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(path, result.PipelineYaml, cancellationToken).ConfigureAwait(false);
        var secretsPath = result.Secrets.Count > 0 ? SecretsFile.Write(folder, result.Secrets) : null;

        var shown = Path.GetRelativePath(Environment.CurrentDirectory, path);
        await output.WriteLineAsync($"wrote pipeline {shown}").ConfigureAwait(false);
        if (secretsPath is not null)
        {
            await output.WriteLineAsync($"wrote {string.Join(", ", result.Secrets.Keys.Order(StringComparer.Ordinal))} to {Path.GetRelativePath(Environment.CurrentDirectory, secretsPath)} (readable by you only; keep it out of version control)").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"next: mybi sync {Quote(shown)}").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static (string Key, Option<string?> Option) Answer(string key, string description) =>
        (key, new Option<string?>(ConsoleConnectPrompt.OptionName(key)) { Description = $"{description} Also from {ConsoleConnectPrompt.VariableName(key)}." });

    private static void RefuseExisting(string path, bool force)
    {
        if (File.Exists(path) && !force)
        {
            throw MyBiException.Config($"{Path.GetRelativePath(Environment.CurrentDirectory, path)} already exists: choose another --out, or pass --force to replace it.");
        }

        if (Directory.Exists(path))
        {
            throw MyBiException.Config($"{path} is a folder: give --out a file name.");
        }
    }

    /// <summary>The connector's result must keep its promise: no secret in the file, secrets storable as NAME=value lines.</summary>
    private static void Check(string yaml, IReadOnlyDictionary<string, string> secrets, IReadOnlyDictionary<string, string> answers, string connector)
    {
        foreach (var (name, value) in secrets)
        {
            if (!VariableRule().IsMatch(name) || value.Length == 0 || value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
            {
                throw MyBiException.System($"Connector '{connector}' returned a secret that cannot be stored ('{name}'); nothing was written.");
            }
        }

        var secretValues = secrets.Values.Concat(answers.Where(a => a.Key is "password" or "partner_token" or "code").Select(a => a.Value));
        if (secretValues.Any(v => v.Length >= 4 && yaml.Contains(v, StringComparison.Ordinal)))
        {
            throw MyBiException.System($"Connector '{connector}' put a secret into the pipeline file; nothing was written.");
        }
    }

    private static string SafeFileName(string suggested, string connector)
    {
        var name = Path.GetFileName(suggested ?? "");
        return string.IsNullOrWhiteSpace(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 ? connector + ".yaml" : name;
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableRule();
}

/// <summary>What <c>connect</c> was asked to do; <see cref="Answers"/> are the options that answer the dialog's questions, by key.</summary>
internal sealed record ConnectArguments(
    string Connector,
    string? OutputPath,
    bool Force,
    string? PluginsDirectory,
    IReadOnlyList<KeyValuePair<string, string?>> Answers);
