using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MyBi.Engine.Schema;

/// <summary>
/// The property tree a stream's schema describes. A leaf covers everything below it (a scalar or a JSON column);
/// an inner node is an object flattened into columns, whose unknown members are extra.
/// </summary>
internal sealed class KnownFields
{
    private readonly Dictionary<string, KnownFields> _children = new(StringComparer.Ordinal);

    private bool IsLeaf => _children.Count == 0;

    public static KnownFields From(IEnumerable<string[]> paths)
    {
        var root = new KnownFields();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var segment in path)
            {
                if (!node._children.TryGetValue(segment, out var child))
                {
                    child = new KnownFields();
                    node._children[segment] = child;
                }

                node = child;
            }
        }

        return root;
    }

    // As the JSON column type writes text (Cyrillic stays readable); the output goes to a database, never into HTML.
    private static readonly JsonWriterOptions s_writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const int MaxKeptScratchBytes = 64 * 1024;

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_scratch;

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewScratch()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer, s_writer));
    }

    /// <summary>
    /// The JSON text of <see cref="ExtraOf"/>, written straight from the row without cloning the unknown members
    /// first (a row's extra is often most of it); null when there is none.
    /// </summary>
    public string? ExtraJsonOf(JsonObject data)
    {
        if (!HasExtra(data))
        {
            return null;
        }

        // One buffer and writer per thread, reset for each row: rows are written one after the other, and a
        // fresh pair per row was a good part of what normalizing a row allocated.
        var (buffer, writer) = t_scratch ??= NewScratch();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        WriteExtra(writer, data);
        writer.Flush();
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > MaxKeptScratchBytes)
        {
            // A huge row's buffer is not kept for the rest of the thread's life.
            t_scratch = null;
        }

        return text;
    }

    private bool HasExtra(JsonObject data)
    {
        foreach (var (name, value) in data)
        {
            if (!_children.TryGetValue(name, out var child) || (!child.IsLeaf && value is JsonObject nested && child.HasExtra(nested)))
            {
                return true;
            }
        }

        return false;
    }

    private void WriteExtra(Utf8JsonWriter writer, JsonObject data)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in data)
        {
            if (!_children.TryGetValue(name, out var child))
            {
                writer.WritePropertyName(name);
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer);
                }
            }
            else if (!child.IsLeaf && value is JsonObject nested && child.HasExtra(nested))
            {
                writer.WritePropertyName(name);
                child.WriteExtra(writer, nested);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>The members of <paramref name="data"/> this tree does not describe, nested as they came; null when none.</summary>
    public JsonObject? ExtraOf(JsonObject data)
    {
        JsonObject? extra = null;
        foreach (var (name, value) in data)
        {
            JsonNode? unknown;
            if (!_children.TryGetValue(name, out var child))
            {
                unknown = value?.DeepClone();
            }
            else if (!child.IsLeaf && value is JsonObject nested)
            {
                unknown = child.ExtraOf(nested);
                if (unknown is null)
                {
                    continue;
                }
            }
            else
            {
                continue;
            }

            extra ??= [];
            extra[name] = unknown;
        }

        return extra;
    }
}
