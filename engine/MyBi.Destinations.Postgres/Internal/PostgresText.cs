using System.Buffers;
using System.Text;
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
        // Nearly every text has neither; most of the rest holds only whole pairs (emoji), which are kept.
        var span = text.AsSpan();
        if (span.IndexOf('\0') < 0 && span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var replaced = false;
        for (var i = 0; i < span.Length;)
        {
            // A lone surrogate does not decode (one char consumed); U+0000 decodes, and is replaced all the same.
            var whole = Rune.DecodeFromUtf16(span[i..], out var rune, out var used) == OperationStatus.Done && rune.Value != 0;
            result.Append(whole ? span.Slice(i, used) : "\uFFFD");
            replaced |= !whole;
            i += used;
        }

        return replaced ? result.ToString() : text;
    }

    /// <summary>A JSON text for jsonb: its characters as <see cref="Storable"/>, and its escapes readable there.</summary>
    public static string StorableJson(string json) => JsonEscapes.Readable(Storable(json), nul: true);
}
