using MyBi.Abstractions.Records;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// PostgreSQL's text and jsonb cannot hold the character U+0000, which an API answer or a webhook body may carry
/// (<c>"\u0000"</c> in JSON), jsonb refuses the escape of a lone UTF-16 surrogate, and the driver refuses to encode
/// a lone surrogate (which a rule's script can make) at all: the whole batch would be refused, again at every retry.
/// Each is stored as U+FFFD, the replacement character, which is what a reader shows for a character it cannot
/// display.
/// </summary>
internal static class PostgresText
{
    /// <summary>The text with every U+0000 and lone surrogate replaced; the same instance when it has none.</summary>
    public static string Storable(string text)
    {
        // Searched for in bulk first: nearly every text has neither, and most of the rest only whole pairs (emoji).
        var span = text.AsSpan();
        if ((span.IndexOf('\0') < 0 && span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0) || !NeedsReplacing(span))
        {
            return text;
        }

        return string.Create(text.Length, text, static (chars, source) =>
        {
            source.AsSpan().CopyTo(chars);
            for (var i = 0; i < chars.Length; i++)
            {
                if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
                {
                    i++;
                }
                else if (chars[i] == '\0' || char.IsSurrogate(chars[i]))
                {
                    chars[i] = '\uFFFD';
                }
            }
        });
    }

    /// <summary>A JSON text for jsonb: its characters as <see cref="Storable"/>, and its escapes readable there.</summary>
    public static string StorableJson(string json) => JsonEscapes.Readable(Storable(json), nul: true);

    private static bool NeedsReplacing(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (text[i] == '\0' || char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
