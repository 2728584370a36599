using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MyBi.Connectors.YClients.Http;

/// <summary>
/// Turns a parsed answer into a tree that owns its values. A node parsed straight from a document keeps the whole
/// answer's bytes alive for as long as any one value of it lives (a row kept downstream would hold its page);
/// here texts become strings, cut to the maximum length, and numbers keep only their own bytes.
/// </summary>
internal static class AnswerTree
{
    private const int NameSlots = 512;
    private const int MaxCachedNameBytes = 64;

    [ThreadStatic]
    private static (byte[] Raw, string Name)?[]? t_names;

    /// <summary>Builds the tree; <paramref name="cut"/> counts the texts that were cut.</summary>
    public static JsonNode? Build(JsonElement element, int maxTextLength, ref int cut)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    // A repeated key keeps its last value, as PHP's json_decode does.
                    obj[NameOf(property)] = Build(property.Value, maxTextLength, ref cut);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(Build(item, maxTextLength, ref cut));
                }

                return array;
            case JsonValueKind.String:
                var text = element.GetString()!;
                if (text.Length > maxTextLength)
                {
                    cut++;

                    // Never split a surrogate pair: the result must stay valid UTF-16.
                    text = text[..(char.IsHighSurrogate(text[maxTextLength - 1]) ? maxTextLength - 1 : maxTextLength)];
                }

                return JsonValue.Create(text);
            case JsonValueKind.True:
                return JsonValue.Create(true);
            case JsonValueKind.False:
                return JsonValue.Create(false);
            case JsonValueKind.Number:
                // An integer written plainly is the same text as the long it holds, so it is kept as that long;
                // anything else (an id of 20 digits, 1e30, 1.50, -0) is kept as written, with only its own bytes,
                // and the parsers downstream decide what it means.
                return PlainInteger(element) is { } integer ? JsonValue.Create(integer) : JsonValue.Create(element.Clone());
            default:
                return null;
        }
    }

    /// <summary>
    /// The property's name, shared between the rows of an answer and the answers after it: every record repeats the
    /// same few dozen names, and a new string for each of them was much of what building a row allocated. The cache
    /// is per thread and of fixed size, so hostile names only cost a miss.
    /// </summary>
    private static string NameOf(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length > MaxCachedNameBytes || raw.Contains((byte)'\\'))
        {
            // Escaped names are decoded by the reader; long ones are rare.
            return property.Name;
        }

        var slots = t_names ??= new (byte[] Raw, string Name)?[NameSlots];
        var hash = default(HashCode);
        hash.AddBytes(raw);
        var slot = hash.ToHashCode() & (NameSlots - 1);
        if (slots[slot] is { } known && raw.SequenceEqual(known.Raw))
        {
            return known.Name;
        }

        var name = property.Name;
        slots[slot] = (raw.ToArray(), name);
        return name;
    }

    private static long? PlainInteger(JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        var digits = raw.Length > 0 && raw[0] == (byte)'-' ? raw[1..] : raw;
        if (digits.Length is 0 or > 18 || (digits[0] == (byte)'0' && raw.Length != 1) || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return null;
        }

        return element.TryGetInt64(out var value) ? value : null;
    }
}
