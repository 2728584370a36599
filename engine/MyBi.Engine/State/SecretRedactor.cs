namespace MyBi.Engine.State;

/// <summary>
/// Replaces a pipeline's secret values with <c>***</c> in text that is stored or shown: an API may echo a token in
/// its error message, changed in case or escaped, and run messages are readable by everyone who reads the warehouse.
/// </summary>
public sealed class SecretRedactor
{
    /// <summary>Shorter values would mask ordinary words and numbers all over the text.</summary>
    public const int MinLength = 4;

    private const string Mask = "***";

    private readonly string[] _forms;

    /// <summary>Creates a redactor of <paramref name="secrets"/> (values shorter than <see cref="MinLength"/> are ignored).</summary>
    public SecretRedactor(IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        // A secret also appears percent-encoded (in a URL) or JSON-escaped (in an echoed request body).
        _forms = secrets
            .Where(s => s is { Length: >= MinLength })
            .SelectMany(s => new[] { s, Uri.EscapeDataString(s), System.Text.Json.JsonEncodedText.Encode(s).Value })
            .Where(s => s.Length >= MinLength)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    /// <summary>Redacts nothing.</summary>
    public static SecretRedactor None { get; } = new([]);

    /// <summary>The text with every secret replaced, whatever its letter case.</summary>
    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var form in _forms)
        {
            text = text.Replace(form, Mask, StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }

    /// <summary><see cref="Apply(string)"/> for optional text.</summary>
    public string? ApplyOrNull(string? text) => text is null ? null : Apply(text);
}
