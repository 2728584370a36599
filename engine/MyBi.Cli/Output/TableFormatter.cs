using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MyBi.Cli.Output;

/// <summary>Prints rows as an aligned text table or as JSON lines-free arrays.</summary>
internal static class TableFormatter
{
    private const int MaxCellWidth = 60;

    public static string FormatValue(object? value) => value switch
    {
        null => "NULL",
        DateTimeOffset dto => dto.ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static void WriteTable(TextWriter output, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        var cells = rows.Select(r => r.Select(v => Clip(FormatValue(v))).ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var line = new StringBuilder();
        void Row(IReadOnlyList<string> values, bool rightAlignNumbers)
        {
            line.Clear();
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0)
                {
                    line.Append(" | ");
                }

                var numeric = rightAlignNumbers && i < rows.Count && rows.Count > 0 && IsNumeric(rows[0][i]);
                line.Append(numeric ? values[i].PadLeft(widths[i]) : values[i].PadRight(widths[i]));
            }

            output.WriteLine(line.ToString().TrimEnd());
        }

        Row(columns, false);
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
        {
            Row(row, true);
        }
    }

    public static void WriteJson(TextWriter output, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                for (var i = 0; i < columns.Count; i++)
                {
                    writer.WritePropertyName(columns[i]);
                    WriteJsonValue(writer, row[i]);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteJsonValue(Utf8JsonWriter writer, object? value)
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
            default: writer.WriteStringValue(FormatValue(value)); break;
        }
    }

    private static bool IsNumeric(object? value) => value is long or int or short or decimal or double or float or ulong or uint or System.Numerics.BigInteger;

    private static string Clip(string text)
    {
        text = text.Replace('\n', ' ').Replace('\r', ' ');
        return text.Length <= MaxCellWidth ? text : string.Concat(text.AsSpan(0, MaxCellWidth - 1), "…");
    }
}
