using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace MyBi.Cli.Output;

/// <summary>
/// Prints rows as an aligned text table or as JSON. Lists, structs, maps and tuples are shown as JSON text; the table
/// never passes a control character of a value or column name to the terminal (an escape sequence in a cell could
/// rewrite the screen), and cuts long cells.
/// </summary>
internal static class TableFormatter
{
    private const int MaxCellWidth = 60;

    public static string FormatValue(object? value) => value switch
    {
        null => "NULL",
        string text => text,
        DateTimeOffset dto => dto.ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        byte[] bytes => "\\x" + Convert.ToHexStringLower(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable or ITuple => JsonText(value),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// The text with every control character (C0, DEL, C1, including ESC and line breaks) and every bidirectional
    /// override shown as a visible escape such as <c>\n</c> or <c>\x1b</c>, so it prints as one inert line.
    /// </summary>
    public static string Printable(string text)
    {
        if (!text.Any(IsUnprintable))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            if (!IsUnprintable(ch))
            {
                builder.Append(ch);
                continue;
            }

            builder.Append(ch switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when ch <= '\u00ff' => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)ch:x2}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)ch:x4}"),
            });
        }

        return builder.ToString();
    }

    /// <summary>
    /// Writes a header, a rule and one line per row, columns separated by <c>|</c>. A column whose values are all
    /// numbers (blanks aside) is right-aligned, header included, so digits of the same rank line up.
    /// </summary>
    public static void WriteTable(TextWriter output, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        var cells = rows.Select(r => r.Select(v => Clip(FormatValue(v))).ToArray()).ToList();
        columns = columns.Select(Clip).ToArray();
        var widths = columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var numeric = columns.Select((_, i) => IsNumericColumn(rows, i)).ToArray();
        void Row(IReadOnlyList<string> values) =>
            output.WriteLine(string.Join(" | ", values.Select((v, i) => numeric[i] ? v.PadLeft(widths[i]) : v.PadRight(widths[i]))).TrimEnd());

        Row(columns);
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
        {
            Row(row);
        }
    }

    public static void WriteJson(TextWriter output, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        var writer = new JsonRowWriter(output);
        writer.OnColumns(columns);
        foreach (var row in rows)
        {
            writer.OnRow(row);
        }

        writer.Complete();
    }

    /// <summary>RFC 4180 CSV with a header line; nested values as JSON text, NULL as an empty field.</summary>
    public static void WriteCsv(TextWriter output, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        var writer = new CsvRowWriter(output);
        writer.OnColumns(columns);
        foreach (var row in rows)
        {
            writer.OnRow(row);
        }
    }

    internal static string CsvHeader(IReadOnlyList<string> columns) => string.Join(',', columns.Select(CsvField));

    internal static string CsvLine(object?[] row) => string.Join(',', row.Select(v => v is null ? "" : CsvField(FormatValue(v))));

    private static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    internal static void WriteJsonValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case long or int or short or byte or sbyte or ushort or uint or ulong:
                writer.WriteNumberValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture)); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): writer.WriteNumberValue(f); break;
            case System.Numerics.BigInteger bi: writer.WriteRawValue(bi.ToString(CultureInfo.InvariantCulture)); break;
            case string text: writer.WriteStringValue(text); break;
            case byte[] bytes: writer.WriteStringValue(FormatValue(bytes)); break;
            case IDictionary map:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    writer.WritePropertyName(FormatValue(entry.Key));
                    WriteJsonValue(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteJsonValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case ITuple tuple:
                writer.WriteStartArray();
                for (var i = 0; i < tuple.Length; i++)
                {
                    WriteJsonValue(writer, tuple[i]);
                }

                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(FormatValue(value)); break;
        }
    }

    /// <summary>A list, struct, map or tuple as compact JSON text.</summary>
    private static string JsonText(object value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteJsonValue(writer, value);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static bool IsUnprintable(char ch) => char.IsControl(ch) || ch is (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');

    private static bool IsNumeric(object? value) => value is long or int or short or byte or sbyte or ushort or decimal or double or float or ulong or uint or System.Numerics.BigInteger;

    /// <summary>Numbers in every row that has a value (null and empty text are blanks, such as a total row's empty cell), and at least one.</summary>
    private static bool IsNumericColumn(IReadOnlyList<object?[]> rows, int column)
    {
        var values = rows.Select(r => r[column]).Where(v => v is not (null or ""));
        return values.Any() && values.All(IsNumeric);
    }

    private static string Clip(string text)
    {
        text = Printable(text);
        if (text.Length <= MaxCellWidth)
        {
            return text;
        }

        // Never split a surrogate pair: half of one prints as garbage.
        var cut = MaxCellWidth - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
