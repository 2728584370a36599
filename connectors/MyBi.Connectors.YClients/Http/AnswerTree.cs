using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;

namespace MyBi.Connectors.YClients.Http;

/// <summary>
/// Turns an answer's bytes into a tree that owns its values, read token by token: no intermediate document is built
/// and walked a second time (that was a good part of the CPU a row cost). A node parsed straight from a document
/// would keep the whole answer's bytes alive for as long as any one value of it lives (a row kept downstream would
/// hold its page); here texts become strings, cut to the maximum length, and numbers keep only their own bytes.
/// </summary>
internal static class AnswerTree
{
    private const int NameSlots = 1024;
    private const int MaxCachedNameBytes = 64;
    private const int InitialBodyBytes = 64 * 1024;

    [ThreadStatic]
    private static (byte[] Raw, string Name)?[]? t_names;

    /// <summary>
    /// Reads a whole body from <paramref name="body"/> (which enforces the size cap) and builds its tree;
    /// <paramref name="cut"/> counts the texts that were cut. Malformed JSON throws <see cref="JsonException"/>.
    /// </summary>
    public static async Task<(JsonNode? Root, int Cut)> ReadAsync(Stream body, long? length, int maxTextLength, CancellationToken cancellationToken)
    {
        // The bytes are collected in a pooled buffer (sized from Content-Length when the server gave one) and given
        // back, cleared, once the tree is built: they hold the answer's personal data.
        var buffer = ArrayPool<byte>.Shared.Rent(length is > 0 and < int.MaxValue ? (int)length.Value + 1 : InitialBodyBytes);
        var used = 0;
        try
        {
            while (true)
            {
                if (used == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, used).CopyTo(larger);
                    Return(buffer, used);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(used), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                used += read;
            }

            var cut = 0;
            var root = Build(buffer.AsSpan(0, used), maxTextLength, ref cut);
            return (root, cut);
        }
        finally
        {
            Return(buffer, used);
        }
    }

    /// <summary>Builds the tree of one JSON text; <paramref name="cut"/> counts the texts that were cut.</summary>
    public static JsonNode? Build(ReadOnlySpan<byte> json, int maxTextLength, ref int cut)
    {
        // The reader's defaults are JsonDocument's: depth at most 64, no comments, no trailing commas, one value.
        var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        if (!reader.Read())
        {
            throw new JsonException("The answer is empty.");
        }

        var scratch = new List<List<KeyValuePair<string, JsonNode?>>>();
        var root = Value(ref reader, maxTextLength, ref cut, scratch);

        // Anything but white space after the value makes the reader throw here.
        reader.Read();
        return root;
    }

    private static void Return(byte[] buffer, int used)
    {
        buffer.AsSpan(0, Math.Min(used, buffer.Length)).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>The value the reader is on (its first token); the reader is left on the value's last token.</summary>
    private static JsonNode? Value(ref Utf8JsonReader reader, int maxTextLength, ref int cut, List<List<KeyValuePair<string, JsonNode?>>> scratch)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return Object(ref reader, maxTextLength, ref cut, scratch);
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(Value(ref reader, maxTextLength, ref cut, scratch));
                }

                return array;
            case JsonTokenType.String:
                var text = Text(ref reader);
                if (text.Length > maxTextLength)
                {
                    cut++;

                    // Never split a surrogate pair: the result must stay valid UTF-16.
                    text = text[..(char.IsHighSurrogate(text[maxTextLength - 1]) ? maxTextLength - 1 : maxTextLength)];
                }

                return JsonValue.Create(text);
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            case JsonTokenType.Number:
                // An integer written plainly is the same text as the long it holds, so it is kept as that long;
                // anything else (an id of 20 digits, 1e30, 1.50, -0) is kept as written, with only its own bytes,
                // and the parsers downstream decide what it means.
                return PlainInteger(reader.ValueSpan) is { } integer
                    ? JsonValue.Create(integer)
                    : JsonValue.Create(JsonElement.ParseValue(ref reader));
            default:
                return null;
        }
    }

    private static JsonObject Object(ref Utf8JsonReader reader, int maxTextLength, ref int cut, List<List<KeyValuePair<string, JsonNode?>>> scratch)
    {
        // The properties are gathered first so the object is created at its final size, not grown property by
        // property; the lists are reused per depth for the whole answer.
        var depth = reader.CurrentDepth;
        while (scratch.Count <= depth)
        {
            scratch.Add([]);
        }

        var properties = scratch[depth];
        properties.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = NameOf(ref reader);
            reader.Read();
            properties.Add(new(name, Value(ref reader, maxTextLength, ref cut, scratch)));
        }

        JsonObject obj;
        try
        {
            obj = new JsonObject(properties);
        }
        catch (ArgumentException)
        {
            // A repeated key keeps its last value, as PHP's json_decode does. The object that refused the repeat
            // already adopted the values before it, so they go in as copies (hostile answers only pay for this).
            obj = [];
            foreach (var (name, value) in properties)
            {
                obj[name] = value?.DeepClone();
            }
        }

        properties.Clear();
        return obj;
    }

    /// <summary>
    /// The property's name, shared between the rows of an answer and the answers after it: every record repeats the
    /// same few dozen names, and a new string for each of them was much of what building a row allocated. The cache
    /// is per thread and of fixed size, so hostile names only cost a miss.
    /// </summary>
    private static string NameOf(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (reader.ValueIsEscaped || raw.Length > MaxCachedNameBytes)
        {
            // Escaped names are decoded by the reader; long ones are rare.
            return Text(ref reader);
        }

        var slots = t_names ??= new (byte[] Raw, string Name)?[NameSlots];
        var slot = Slot(raw);
        if (slots[slot] is { } known && raw.SequenceEqual(known.Raw))
        {
            return known.Name;
        }

        var name = reader.GetString()!;
        slots[slot] = (raw.ToArray(), name);
        return name;
    }

    /// <summary>
    /// The cache slot of a name: its length and its first and last eight bytes (or all of a shorter one), mixed.
    /// Hashing every byte of every name was close to a fifth of the time a page took to build. A collision only
    /// costs a new string; the table holds 1,024 names because a page of records with its nested objects uses a
    /// few hundred.
    /// </summary>
    private static int Slot(ReadOnlySpan<byte> raw)
    {
        ulong mixed = (ulong)raw.Length;
        if (raw.Length >= sizeof(ulong))
        {
            mixed ^= BinaryPrimitives.ReadUInt64LittleEndian(raw) * 0x9E3779B97F4A7C15UL;
            mixed ^= BinaryPrimitives.ReadUInt64LittleEndian(raw[^sizeof(ulong)..]) * 0xC2B2AE3D27D4EB4FUL;
        }
        else
        {
            foreach (var b in raw)
            {
                mixed = (mixed << 8) | b;
            }

            mixed *= 0x9E3779B97F4A7C15UL;
        }

        mixed ^= mixed >> 29;
        mixed *= 0xBF58476D1CE4E5B9UL;
        return (int)(mixed >> 32) & (NameSlots - 1);
    }

    /// <summary>
    /// The text of the string or name the reader is on. JSON allows the escape of a lone surrogate, which the reader
    /// refuses to turn into a string; such an escape is read as U+FFFD, so one odd character cannot fail the page.
    /// </summary>
    private static string Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException) when (reader.ValueIsEscaped)
        {
            var readable = JsonEscapes.Readable("\"" + Encoding.UTF8.GetString(reader.ValueSpan) + "\"");
            return JsonSerializer.Deserialize<string>(readable)!;
        }
    }

    private static long? PlainInteger(ReadOnlySpan<byte> raw)
    {
        var digits = raw.Length > 0 && raw[0] == (byte)'-' ? raw[1..] : raw;
        if (digits.Length is 0 or > 18 || (digits[0] == (byte)'0' && raw.Length != 1) || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return null;
        }

        return Utf8Parser.TryParse(raw, out long value, out var consumed) && consumed == raw.Length ? value : null;
    }
}
