using MyBi.Engine.State;

namespace MyBi.Cli.Output;

/// <summary>Removes secret values from anything printed: a message can quote input the user never meant to show.</summary>
internal sealed class Redactor
{
    public Redactor(IEnumerable<string> secrets)
        : this(new SecretRedactor(secrets))
    {
    }

    public Redactor(SecretRedactor secrets)
    {
        Secrets = secrets;
    }

    public static Redactor None { get; } = new(SecretRedactor.None);

    /// <summary>The same secrets, for what the engine stores (run messages).</summary>
    public SecretRedactor Secrets { get; }

    /// <summary>The text with every secret masked, whatever its letter case.</summary>
    public string Apply(string text) => Secrets.Apply(text);

    /// <summary>A message made safe to print as one terminal line: secrets masked, control characters escaped, length capped.</summary>
    public string Line(string text) => TerminalText.OneLine(Apply(text));
}
