using System.Text;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// PostgreSQL's text and jsonb cannot hold the character U+0000, which an API answer or a webhook body may carry
/// (<c>"\u0000"</c> in JSON): the whole batch would be refused, again at every retry. It is stored as U+FFFD, the
/// replacement character, which is what a reader shows for a character it cannot display.
/// </summary>
internal static class PostgresText
{
    private const string NulEscape = "\\u0000";
    private const string ReplacementEscape = "\\ufffd";

    /// <summary>The text with every U+0000 replaced; the same instance when it has none.</summary>
    public static string Storable(string text) =>
        text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text;

    /// <summary>
    /// A JSON text for jsonb with every escaped U+0000 replaced; the same instance when it has none. Escapes are
    /// read in pairs, so an escaped backslash followed by "u0000" is left alone.
    /// </summary>
    public static string StorableJson(string json)
    {
        if (!json.Contains(NulEscape, StringComparison.Ordinal))
        {
            return json;
        }

        var result = new StringBuilder(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] != '\\' || i + 1 >= json.Length)
            {
                result.Append(json[i]);
            }
            else if (string.CompareOrdinal(json, i, NulEscape, 0, NulEscape.Length) == 0)
            {
                result.Append(ReplacementEscape);
                i += NulEscape.Length - 1;
            }
            else
            {
                result.Append(json, i, 2);
                i++;
            }
        }

        return result.ToString();
    }
}
