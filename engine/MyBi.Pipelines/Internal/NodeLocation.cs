using Newtonsoft.Json.Linq;

namespace MyBi.Pipelines.Internal;

/// <summary>Where one value of the document is written: its key (for mapping entries) and its value.</summary>
internal sealed class NodeLocation
{
    public NodeLocation(JToken token, TextPosition? key, TextPosition value)
    {
        Token = token;
        Key = key;
        Value = value;
    }

    public JToken Token { get; }

    public TextPosition? Key { get; }

    public TextPosition Value { get; }

    /// <summary>
    /// Where to point at the value as a whole: a block mapping or list starts on the line after its key, so the key
    /// reads better (<c>source:</c> rather than its first entry); a scalar is pointed at directly.
    /// </summary>
    public TextPosition Node => Token is JContainer && Key is { } key ? key : Value;
}
