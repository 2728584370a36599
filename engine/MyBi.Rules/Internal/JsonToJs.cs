using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;

namespace MyBi.Rules.Internal;

/// <summary>
/// Turns an input row into plain JavaScript objects directly, without JSON text in between. Objects are built
/// from their entries so rows of one stream share a hidden class, which keeps property reads fast.
/// </summary>
internal sealed class JsonToJs
{
    private const int MaxDepth = 64;

    // Integers beyond 2^53 would silently change as JavaScript numbers; as strings they stay exact.
    private const long MaxSafeInteger = 9_007_199_254_740_991;

    private readonly Engine _engine;
    private readonly int _maxStringLength;
    private readonly int _maxArrayLength;
    private readonly KeyValuePair<string, JsValue>[][] _entryBuffers = new KeyValuePair<string, JsValue>[MaxDepth + 1][];

    public JsonToJs(Engine engine, int maxStringLength, int maxArrayLength)
    {
        _engine = engine;
        _maxStringLength = maxStringLength;
        _maxArrayLength = maxArrayLength;
    }

    public JsValue Convert(JsonObject row) => FromObject(row, 0);

    private JsValue FromNode(JsonNode? node, int depth) => node switch
    {
        null => JsValue.Null,
        JsonObject obj => FromObject(obj, depth + 1),
        JsonArray array => FromArray(array, depth + 1),
        JsonValue value => FromValue(value),
        _ => JsValue.Undefined,
    };

    private JsValue FromObject(JsonObject obj, int depth)
    {
        CheckDepth(depth);
        var count = obj.Count;
        var buffer = _entryBuffers[depth];
        if (buffer is null || buffer.Length < count)
        {
            buffer = new KeyValuePair<string, JsValue>[Math.Max(count, 16)];
            _entryBuffers[depth] = buffer;
        }

        // By index: the object's enumerator is an interface, allocated and called through for every property.
        for (var i = 0; i < count; i++)
        {
            var (key, value) = obj.GetAt(i);
            buffer[i] = new KeyValuePair<string, JsValue>(key, FromNode(value, depth));
        }

        var result = JsObject.CreateFromEntries(_engine, buffer.AsSpan(0, count));
        Array.Clear(buffer, 0, count);
        return result;
    }

    private JsArray FromArray(JsonArray array, int depth)
    {
        CheckDepth(depth);
        if (array.Count > _maxArrayLength)
        {
            throw new RowFailure($"the input row has a list of {array.Count} items; rules accept at most {_maxArrayLength}");
        }

        var items = new JsValue[array.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = FromNode(array[i], depth);
        }

        return new JsArray(_engine, items);
    }

    private JsValue FromValue(JsonValue value)
    {
        // The kind first: it is a plain virtual call, where each TryGetValue<T> is a generic virtual one, looked up
        // at every call; asking for every type in turn was most of what converting a row cost.
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return FromString(value.TryGetValue<string>(out var text) ? text : JsonSerializer.Deserialize<string>(value.ToJsonString())!);
            case JsonValueKind.Number:
                if (value.TryGetValue<long>(out var integer))
                {
                    return FromInteger(integer);
                }

                // Values built in code hold CLR primitives; one parsed from JSON text holds its element, which the
                // long above already read as an integer if it is one.
                if (value.TryGetValue<JsonElement>(out var element))
                {
                    return JsNumber.Create(element.GetDouble());
                }

                if (value.TryGetValue<double>(out var real))
                {
                    return JsNumber.Create(real);
                }

                if (value.TryGetValue<int>(out var small))
                {
                    return JsNumber.Create(small);
                }

                return value.TryGetValue<decimal>(out var exact) ? JsNumber.Create((double)exact) : FromElement(JsonDocument.Parse(value.ToJsonString()).RootElement);
            case JsonValueKind.True:
                return JsBoolean.True;
            case JsonValueKind.False:
                return JsBoolean.False;
            case JsonValueKind.Object:
            case JsonValueKind.Array:
                // A JsonValue wrapping a whole element: go through the node model for its structure.
                return value.TryGetValue<JsonElement>(out var structure) ? FromElement(structure) : JsValue.Null;
            default:
                return JsValue.Null;
        }
    }

    private JsValue FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return FromString(element.GetString()!);
            case JsonValueKind.Number:
                return element.TryGetInt64(out var l) ? FromInteger(l) : JsNumber.Create(element.GetDouble());
            case JsonValueKind.True:
                return JsBoolean.True;
            case JsonValueKind.False:
                return JsBoolean.False;
            case JsonValueKind.Object:
            case JsonValueKind.Array:
                // A JsonValue wrapping a whole element: go through the node model for its structure.
                return FromNode(JsonNode.Parse(element.GetRawText()), 0);
            default:
                return JsValue.Null;
        }
    }

    private JsValue FromInteger(long value) =>
        value is >= -MaxSafeInteger and <= MaxSafeInteger ? JsNumber.Create(value) : FromString(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private JsString FromString(string value)
    {
        if (value.Length > _maxStringLength)
        {
            throw new RowFailure($"the input row has a text of {value.Length} characters; rules accept at most {_maxStringLength}");
        }

        return new JsString(value);
    }

    private static void CheckDepth(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new RowFailure($"the input row is nested deeper than {MaxDepth} levels");
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
    }
}
