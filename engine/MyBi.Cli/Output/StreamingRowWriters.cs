using System.Buffers;
using System.Text;
using System.Text.Json;
using MyBi.Abstractions.Destinations;

namespace MyBi.Cli.Output;

/// <summary>
/// Writes a query's rows as a JSON array while they are read: each row is written and forgotten, so an export of
/// any size keeps memory flat. The text is the same as <see cref="TableFormatter.WriteJson"/> prints.
/// </summary>
internal sealed class JsonRowWriter : QueryRowSink
{
    private readonly TextWriter _output;
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private IReadOnlyList<string> _columns = [];
    private long _rows;

    public JsonRowWriter(TextWriter output)
    {
        _output = output;
    }

    public long Rows => _rows;

    public override void OnColumns(IReadOnlyList<string> columns)
    {
        _columns = columns;
        _output.Write('[');
    }

    public override void OnRow(object?[] row)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            for (var i = 0; i < _columns.Count; i++)
            {
                writer.WritePropertyName(_columns[i]);
                TableFormatter.WriteJsonValue(writer, row[i]);
            }

            writer.WriteEndObject();
        }

        // JSON text never holds a raw line break inside a string, so indenting every line nests the object in the array.
        _output.Write(_rows == 0 ? "\n  " : ",\n  ");
        _output.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan).Replace("\n", "\n  ", StringComparison.Ordinal));
        _rows++;
    }

    /// <summary>Closes the array (an empty result prints <c>[]</c>).</summary>
    public void Complete() => _output.WriteLine(_rows == 0 ? "]" : "\n]");
}

/// <summary>Writes a query's rows as RFC 4180 CSV while they are read, like <see cref="TableFormatter.WriteCsv"/>.</summary>
internal sealed class CsvRowWriter : QueryRowSink
{
    private readonly TextWriter _output;

    public CsvRowWriter(TextWriter output)
    {
        _output = output;
    }

    public long Rows { get; private set; }

    public override void OnColumns(IReadOnlyList<string> columns) => _output.WriteLine(TableFormatter.CsvHeader(columns));

    public override void OnRow(object?[] row)
    {
        _output.WriteLine(TableFormatter.CsvLine(row));
        Rows++;
    }
}
