using System.Globalization;
using System.Text;

namespace MyBi.Cli.Output;

/// <summary>
/// Makes text from outside (API errors, company titles, rule errors) safe to print as one line: escape sequences
/// could repaint or retitle the terminal and newlines could forge lines of output, and a message quoting a whole
/// answer would bury everything else.
/// </summary>
internal static class TerminalText
{
    /// <summary>The longest line printed; the rest is cut and marked with an ellipsis.</summary>
    public const int MaxLength = 500;

    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength + 16));
        foreach (var rune in text.EnumerateRunes())
        {
            if (builder.Length >= MaxLength)
            {
                return builder.Append('…').ToString();
            }

            switch (rune.Value)
            {
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append(' ');
                    break;
                default:
                    if (IsControl(rune))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
                    }
                    else
                    {
                        builder.Append(rune.ToString());
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>C0 and C1 controls, DEL, and the format characters that reorder or hide text (bidi overrides, zero-width).</summary>
    private static bool IsControl(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
