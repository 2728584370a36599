using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Cli.Hosting;
using MyBi.Cli.Output;
using MyBi.Hosting;
using MyBi.Pipelines;
using MyBi.Plugins.Hosting;

namespace MyBi.Cli.Commands;

/// <summary>
/// <c>mybi connect CONNECTOR [--out FILE] [--force] [--base-url URL] [--partner-token T] [--login L] [--password P]
/// [--code C] [--company ID] [--destination TYPE] [--destination-connection C] [--plugins-dir DIR]</c>: runs the
/// connector's connect dialog, asks where to load (any destination this host knows), writes the pipeline file and
/// keeps the secrets it references in <c>.mybi/secrets.env</c> beside it. Nothing secret is printed or written into
/// the pipeline file.
/// </summary>
internal static partial class ConnectCommand
{
    // Answers that are never secret, and short enough (a type name) that redacting them would garble messages.
    private static readonly HashSet<string> s_plainAnswers = new(StringComparer.Ordinal) { "base_url", "login", "company", "destination", "history_days", "load_now" };

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
            Answer("company", "The companies (branches) to load, instead of choosing at the prompt: ids or list numbers, comma-separated, or 'all'."),
            Answer("history_days", "How many last days the first load reads (default 30)."),
            Answer("destination", $"Where to load: {string.Join(", ", DestinationRegistry.Types)}. Without a terminal it defaults to {DestinationRegistry.Types[0]}."),
            Answer("destination_connection", "The destination's connection string (PostgreSQL, ClickHouse); kept in .mybi/secrets.env."),
            Answer("load_now", "yes to run the first load right after connecting (asked at a terminal; no otherwise)."),
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
        useRedactor(new Redactor(answers.Where(a => !s_plainAnswers.Contains(a.Key)).Select(a => a.Value)));

        if (arguments.OutputPath is { } requested)
        {
            RefuseExisting(Path.GetFullPath(requested), arguments.Force);
        }

        var catalog = PluginCatalog.Discover(PluginDirectories.Resolve(arguments.PluginsDirectory));
        var connector = catalog.GetConnector(arguments.Connector);
        var prompt = ConsoleConnectPrompt.ForConsole(answers, dialog);
        var result = await connector.ConnectInteractiveAsync(prompt, EngineClock.Current, cancellationToken).ConfigureAwait(false);
        useRedactor(new Redactor(answers.Where(a => !s_plainAnswers.Contains(a.Key)).Select(a => a.Value).Concat(result.Secrets.Values)));
        // The writer checks the name against the pipeline schema before anything is written. A file named by --out
        // names the pipeline too: its state, its database file and its secrets then stay apart from the others'.
        var path = Path.GetFullPath(arguments.OutputPath ?? result.SuggestedName + ".yaml");
        var name = arguments.OutputPath is null ? result.SuggestedName : NameOf(path);
        // Secrets are named after the pipeline file, unique in its folder, so that a second pipeline connected in the
        // same folder (another user, another company) never replaces the first one's tokens.
        var prefix = Path.GetFileNameWithoutExtension(path);

        var (sourceValues, sourceReferences, secrets) = SourceSettings(result, prefix, connector.Name, connector.ConfigSchema);
        var (destination, destinationReferences) = await DestinationAsync(prompt, name, prefix, secrets, cancellationToken).ConfigureAwait(false);
        useRedactor(new Redactor(answers.Where(a => !s_plainAnswers.Contains(a.Key)).Select(a => a.Value).Concat(secrets.Values)));
        Check(secrets, connector.Name);
        var yaml = PipelineFileWriter.Write(new PipelineFileContent
        {
            Name = name,
            Connector = connector.Name,
            SourceConfig = sourceValues,
            SourceSecrets = sourceReferences,
            Streams = result.Streams,
            Destination = destination,
            DestinationSecrets = destinationReferences,
            Comments = [$"{name}: {connector.Name} -> {destination["type"]} pipeline, made by `mybi connect {connector.Name}`."],
        });
        if (secrets.Values.Concat(answers.Where(a => a.Key is "password" or "partner_token" or "code").Select(a => a.Value)).Any(v => v.Length >= 4 && yaml.Contains(v, StringComparison.Ordinal)))
        {
            throw MyBiException.System($"Connector '{connector.Name}' returned a secret among its plain settings; nothing was written.");
        }

        RefuseExisting(path, arguments.Force);
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(path, yaml, cancellationToken).ConfigureAwait(false);
        var secretsPath = secrets.Count > 0 ? SecretsFile.Write(folder, secrets) : null;

        var shown = Path.GetRelativePath(Environment.CurrentDirectory, path);
        await output.WriteLineAsync($"wrote pipeline {shown}").ConfigureAwait(false);
        if (secretsPath is not null)
        {
            await output.WriteLineAsync($"wrote {string.Join(", ", secrets.Keys.Order(StringComparer.Ordinal))} to {Path.GetRelativePath(Environment.CurrentDirectory, secretsPath)} (readable by you only; keep it out of version control)").ConfigureAwait(false);
        }

        if (await LoadNowAsync(prompt, sourceValues, cancellationToken).ConfigureAwait(false))
        {
            await output.WriteLineAsync($"loading now: mybi sync {Quote(shown)}").ConfigureAwait(false);
            return await SyncCommand.ExecuteAsync(new SyncArguments(path, null, null, null), output, useRedactor, cancellationToken).ConfigureAwait(false);
        }

        await output.WriteLineAsync($"next: mybi sync {Quote(shown)}").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>The first load is offered at a terminal; without one it runs only when asked with --load-now yes.</summary>
    private static async Task<bool> LoadNowAsync(ConsoleConnectPrompt prompt, JsonObject source, CancellationToken cancellationToken)
    {
        if (!prompt.CanAnswer("load_now"))
        {
            return false;
        }

        var days = source["first_run_days"] is JsonValue value && value.TryGetValue<int>(out var d) ? $"the last {d} days" : "the first period";
        var answer = (await prompt.AskAsync("load_now", $"Load {days} now? [Y/n]", secret: false, cancellationToken).ConfigureAwait(false)).Trim();
        return answer.Length == 0 || answer.ToLowerInvariant() is "y" or "yes" or "д" or "да" or "true" or "1";
    }

    /// <summary>A pipeline name from a file name: lowercase, anything outside the name's characters becomes '-'.</summary>
    private static string NameOf(string path)
    {
        var stem = NameCharacter().Replace(Path.GetFileNameWithoutExtension(path).ToLowerInvariant(), "-").Trim('-');
        return stem.Length == 0 ? "pipeline" : stem.Length > 64 ? stem[..64] : stem;
    }

    /// <summary>
    /// Splits the dialog's settings into plain values and references to variables that hold the secret ones. A
    /// setting the connector's schema marks <c>x-secret</c> stays out of the file even if the dialog did not say so.
    /// </summary>
    private static (JsonObject Values, Dictionary<string, string> References, Dictionary<string, string> Secrets) SourceSettings(
        ConnectResult result, string prefix, string connector, string configSchema)
    {
        var schemaSecrets = SecretKeys(connector, configSchema);
        var values = new JsonObject();
        var secretValues = new Dictionary<string, string>(result.Secrets, StringComparer.Ordinal);
        foreach (var (key, value) in result.Config)
        {
            if (schemaSecrets.Contains(key) && value is JsonValue text && text.GetValueKind() == JsonValueKind.String)
            {
                secretValues[key] = text.GetValue<string>();
            }
            else if (!secretValues.ContainsKey(key))
            {
                values[key] = value?.DeepClone();
            }
        }

        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in secretValues)
        {
            var variable = PipelineFileWriter.VariableName(prefix, key);
            secrets[variable] = value;
            references[key] = variable;
        }

        return (values, references, secrets);
    }

    /// <summary>
    /// Asks for the destination among every type this host knows, then for the settings its schema requires; secret
    /// ones go to <paramref name="secrets"/> and are referenced. A file-based destination gets a file named after the
    /// pipeline, so that pipelines connected in one folder keep apart.
    /// </summary>
    private static async Task<(JsonObject Block, Dictionary<string, string> References)> DestinationAsync(
        ConsoleConnectPrompt prompt, string name, string prefix, Dictionary<string, string> secrets, CancellationToken cancellationToken)
    {
        var types = DestinationRegistry.Types;
        var type = prompt.CanAnswer("destination")
            ? types[await prompt.ChooseAsync("destination", "Where should the data be loaded?", types, cancellationToken).ConfigureAwait(false)]
            : types[0];
        var block = new JsonObject { ["type"] = type };
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in PipelineFileWriter.DestinationSettings(type))
        {
            if (setting.Required)
            {
                var key = "destination_" + setting.Key;
                var value = (await prompt.AskAsync(key, $"{type} {setting.Key} ({setting.Description})", setting.Secret, cancellationToken).ConfigureAwait(false)).Trim();
                if (value.Length == 0)
                {
                    throw MyBiException.Config($"No {type} {setting.Key} was given; pass {ConsoleConnectPrompt.OptionName(key)} (or set {ConsoleConnectPrompt.VariableName(key)}).");
                }

                if (setting.Secret)
                {
                    var variable = PipelineFileWriter.VariableName(prefix, key);
                    secrets[variable] = value;
                    references[setting.Key] = variable;
                }
                else
                {
                    block[setting.Key] = value;
                }
            }
            else if (setting.Key == "path")
            {
                block["path"] = $"{name}.{type}";
            }
        }

        return (block, references);
    }

    private static HashSet<string> SecretKeys(string connector, string configSchema)
    {
        JsonNode? schema;
        try
        {
            schema = JsonNode.Parse(configSchema);
        }
        catch (JsonException)
        {
            throw MyBiException.Config($"Connector '{connector}' has a config schema that is not valid JSON; reinstall the plugin.");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (schema?["properties"] is JsonObject properties)
        {
            foreach (var (key, property) in properties)
            {
                if (property?["x-secret"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True)
                {
                    keys.Add(key);
                }
            }
        }

        return keys;
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

    /// <summary>Secrets must be storable as NAME=value lines.</summary>
    private static void Check(IReadOnlyDictionary<string, string> secrets, string connector)
    {
        foreach (var (name, value) in secrets)
        {
            if (!VariableRule().IsMatch(name) || value.Length == 0 || value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
            {
                throw MyBiException.System($"Connector '{connector}' returned a secret that cannot be stored ('{name}'); nothing was written.");
            }
        }
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableRule();

    [GeneratedRegex("[^a-z0-9_-]+")]
    private static partial Regex NameCharacter();
}

/// <summary>What <c>connect</c> was asked to do; <see cref="Answers"/> are the options that answer the dialog's questions, by key.</summary>
internal sealed record ConnectArguments(
    string Connector,
    string? OutputPath,
    bool Force,
    string? PluginsDirectory,
    IReadOnlyList<KeyValuePair<string, string?>> Answers);
