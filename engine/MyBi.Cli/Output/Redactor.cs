namespace MyBi.Cli.Output;

/// <summary>Removes secret values from anything printed: a message can quote input the user never meant to show.</summary>
internal sealed class Redactor
{
    private readonly string[] _secrets;

    public Redactor(IEnumerable<string> secrets)
    {
        _secrets = secrets.Where(s => s.Length >= 4).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();
    }

    public static Redactor None { get; } = new([]);

    public string Apply(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
