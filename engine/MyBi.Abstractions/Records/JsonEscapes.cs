using System.Text;

namespace MyBi.Abstractions.Records;

/// <summary>
/// Makes every <c>\uXXXX</c> escape of a JSON text readable. JSON allows the escape of a lone UTF-16 surrogate
/// (<c>"\ud800"</c>), and a JSON parser accepts it, but .NET throws when such a value is read as a string and
/// PostgreSQL refuses it in jsonb: one such value in an answer or a webhook body would fail its page or its event
/// at every attempt. A lone surrogate is written as <c>\ufffd</c>, the replacement character, which is what a reader
/// shows for a character it cannot display; a high surrogate directly followed by a low one is a character and is
/// kept.
/// </summary>
public static class JsonEscapes
{
    private const string Replacement = "\\ufffd";

    /// <summary>
    /// The JSON text with every escape of a lone surrogate (and, when <paramref name="nul"/>, of U+0000, which
    /// some stores cannot hold either) written as <c>\ufffd</c>; the same instance when there is none. Escapes are
    /// read in pairs, so an escaped backslash followed by <c>u</c> and four digits is left alone.
    /// </summary>
    public static string Readable(string json, bool nul = false)
    {
        ArgumentNullException.ThrowIfNull(json);
        var first = FirstToReplace(json, 0, nul);
        if (first < 0)
        {
            return json;
        }

        var result = new StringBuilder(json.Length);
        var copied = 0;
        for (var at = first; at >= 0; at = FirstToReplace(json, copied, nul))
        {
            result.Append(json, copied, at - copied).Append(Replacement);
            copied = at + 6;
        }

        return result.Append(json, copied, json.Length - copied).ToString();
    }

    /// <summary>Where the next escape to replace starts, from <paramref name="start"/> (not inside an escape); -1 when none.</summary>
    private static int FirstToReplace(string json, int start, bool nul)
    {
        for (var i = json.IndexOf('\\', start); i >= 0 && i + 1 < json.Length; i = json.IndexOf('\\', i))
        {
            if (json[i + 1] != 'u' || Unit(json, i) is not { } unit)
            {
                // Any other escape is two characters; skipping both keeps "\\" from pairing with what follows.
                i += 2;
                continue;
            }

            if (char.IsHighSurrogate(unit) && Unit(json, i + 6) is { } next && char.IsLowSurrogate(next))
            {
                i += 12;
                continue;
            }

            if (char.IsSurrogate(unit) || (nul && unit == '\0'))
            {
                return i;
            }

            i += 6;
        }

        return -1;
    }

    /// <summary>The UTF-16 unit of the <c>\uXXXX</c> escape at <paramref name="at"/>; null when there is none there.</summary>
    private static char? Unit(string json, int at)
    {
        if (at + 6 > json.Length || json[at] != '\\' || json[at + 1] != 'u')
        {
            return null;
        }

        var value = 0;
        for (var k = at + 2; k < at + 6; k++)
        {
            var digit = HexDigit(json[k]);
            if (digit < 0)
            {
                return null;
            }

            value = (value << 4) | digit;
        }

        return (char)value;
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
