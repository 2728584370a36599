using System.Globalization;
using System.Text;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;

namespace MyBi.Cli.Hosting;

/// <summary>
/// The console side of <c>mybi connect</c>. Answers given in advance (options such as <c>--password</c>, or
/// environment variables <c>MYBI_CONNECT_PASSWORD</c>) come first; a missing answer is asked on the terminal when
/// there is one (secrets without echo), and is a Config error naming the option and the variable otherwise. Questions
/// and messages go to the error stream so that the standard output holds only the command's result.
/// </summary>
internal sealed class ConsoleConnectPrompt : ConnectPrompt
{
    /// <summary>The prefix of environment variables that answer questions: <c>MYBI_CONNECT_&lt;KEY&gt;</c>.</summary>
    public const string EnvironmentPrefix = "MYBI_CONNECT_";

    // Advanced settings with a sound default: taken when given in advance, never asked on the terminal, and an empty
    // answer (the connector's default) when absent.
    private static readonly HashSet<string> s_presetOnly = new(StringComparer.Ordinal) { "base_url" };

    private readonly IReadOnlyDictionary<string, string> _answers;
    private readonly bool _interactive;
    private readonly TextReader _input;
    private readonly TextWriter _output;
    private readonly Func<ConsoleKeyInfo>? _readKey;

    /// <param name="answers">Answers given in advance, by question key.</param>
    /// <param name="interactive">Whether missing answers may be asked (a terminal is attached).</param>
    /// <param name="input">Where typed answers come from.</param>
    /// <param name="output">Where questions and messages go.</param>
    /// <param name="readKey">Reads one key without echo for secrets; null reads secrets as lines.</param>
    public ConsoleConnectPrompt(IReadOnlyDictionary<string, string> answers, bool interactive, TextReader input, TextWriter output, Func<ConsoleKeyInfo>? readKey)
    {
        _answers = answers;
        _interactive = interactive;
        _input = input;
        _output = output;
        _readKey = readKey;
    }

    /// <summary>
    /// A prompt on the process console. It asks only when both the input and the error stream (where the questions
    /// appear) are a terminal.
    /// </summary>
    public static ConsoleConnectPrompt ForConsole(IReadOnlyDictionary<string, string> answers, TextWriter output) =>
        new(answers, !Console.IsInputRedirected && !Console.IsErrorRedirected, Console.In, output, () => Console.ReadKey(intercept: true));

    /// <summary>
    /// Answers from options and from <c>MYBI_CONNECT_*</c> environment variables; an option wins over a variable.
    /// </summary>
    public static Dictionary<string, string> Answers(IEnumerable<KeyValuePair<string, string?>> options, Func<string, string?> environment, IEnumerable<string> environmentNames)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in environmentNames)
        {
            if (name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) && name.Length > EnvironmentPrefix.Length && environment(name) is { Length: > 0 } value)
            {
                answers[name[EnvironmentPrefix.Length..].ToLowerInvariant()] = value;
            }
        }

        foreach (var (key, value) in options)
        {
            if (!string.IsNullOrEmpty(value))
            {
                answers[key] = value;
            }
        }

        return answers;
    }

    /// <summary>The option that answers a question key: <c>partner_token</c> -> <c>--partner-token</c>.</summary>
    public static string OptionName(string key) => "--" + key.Replace('_', '-');

    /// <summary>The environment variable that answers a question key: <c>partner_token</c> -> <c>MYBI_CONNECT_PARTNER_TOKEN</c>.</summary>
    public static string VariableName(string key) => EnvironmentPrefix + key.ToUpperInvariant();

    /// <summary>Whether <paramref name="key"/> has an answer given in advance, or can be asked on the terminal.</summary>
    public bool CanAnswer(string key) => _answers.ContainsKey(key) || _interactive;

    public override async ValueTask<string> AskAsync(string key, string question, bool secret, CancellationToken cancellationToken = default)
    {
        if (_answers.TryGetValue(key, out var given))
        {
            return given;
        }

        if (s_presetOnly.Contains(key))
        {
            return "";
        }

        if (!_interactive)
        {
            throw Missing(key);
        }

        await _output.WriteAsync($"{question}: ").ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        var answer = secret && _readKey is not null ? ReadHidden(cancellationToken) : await _input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        return answer ?? throw MyBiException.Config($"No answer to '{question}': the input ended. Pass {OptionName(key)} (or set {VariableName(key)}).");
    }

    public override async ValueTask<int> ChooseAsync(string key, string question, IReadOnlyList<string> options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Count == 0)
        {
            throw MyBiException.System($"The connector offered nothing to choose for '{question}'.");
        }

        if (_answers.TryGetValue(key, out var given))
        {
            return Match(given, options)
                ?? throw MyBiException.Config($"{OptionName(key)} {given} is not one of: {string.Join("; ", options)}.");
        }

        if (options.Count == 1)
        {
            Say($"{question} {options[0]} (the only one).");
            return 0;
        }

        if (!_interactive)
        {
            throw MyBiException.Config($"missing {OptionName(key)} (or {VariableName(key)}): choose one of: {string.Join("; ", options)}.");
        }

        await _output.WriteLineAsync(question).ConfigureAwait(false);
        for (var i = 0; i < options.Count; i++)
        {
            await _output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {i + 1}. {options[i]}")).ConfigureAwait(false);
        }

        while (true)
        {
            await _output.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"Number (1-{options.Count}): ")).ConfigureAwait(false);
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
            var line = await _input.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw MyBiException.Config($"No choice for '{question}': the input ended. Pass {OptionName(key)} (or set {VariableName(key)}).");
            if (int.TryParse(line.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= options.Count)
            {
                return number - 1;
            }

            if (Match(line, options) is { } index)
            {
                return index;
            }

            await _output.WriteLineAsync($"'{line.Trim()}' is not one of the numbers above.").ConfigureAwait(false);
        }
    }

    public override void Say(string message) => _output.WriteLine(message);

    /// <summary>An answer given in advance names an option by its whole text or by its first word (an id).</summary>
    private static int? Match(string answer, IReadOnlyList<string> options)
    {
        var wanted = answer.Trim();
        for (var i = 0; i < options.Count; i++)
        {
            var option = options[i].Trim();
            var space = option.IndexOf(' ', StringComparison.Ordinal);
            var first = space < 0 ? option : option[..space];
            if (string.Equals(option, wanted, StringComparison.Ordinal) || string.Equals(first, wanted, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return null;
    }

    private static MyBiException Missing(string key) => MyBiException.Config($"missing {OptionName(key)} (or {VariableName(key)}).");

    private string ReadHidden(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = _readKey!();
            if (key.Key == ConsoleKey.Enter)
            {
                _output.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }

                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
