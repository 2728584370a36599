using System.Text.Json;
using System.Text.Json.Nodes;

namespace MyBi.Engine.Running;

/// <summary>
/// A rough estimate of the managed memory a buffered row holds, for the byte budget of a batch. Texts dominate
/// (two bytes a character); every other value counts a fixed overhead.
/// </summary>
internal static class ApproximateSize
{
    private const long ValueOverhead = 24;

    public static long Of(object?[] row)
    {
        var size = ValueOverhead + (8L * row.Length);
        foreach (var value in row)
        {
            size += value switch
            {
                null => 0,
                string text => ValueOverhead + (2L * text.Length),
                byte[] bytes => ValueOverhead + bytes.Length,
                JsonNode node => Of(node),
                _ => ValueOverhead,
            };
        }

        return size;
    }

    public static long Of(JsonNode? node)
    {
        long size = 0;
        var pending = new Stack<JsonNode?>();
        pending.Push(node);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case null:
                    size += 8;
                    break;
                case JsonObject obj:
                    foreach (var (key, child) in obj)
                    {
                        size += ValueOverhead + (2L * key.Length);
                        pending.Push(child);
                    }

                    break;
                case JsonArray array:
                    size += ValueOverhead;
                    foreach (var child in array)
                    {
                        pending.Push(child);
                    }

                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    // A timestamp a connector put in as a DateTimeOffset is no string inside; about 25 characters as text.
                    size += ValueOverhead + (2L * (value.TryGetValue<string>(out var text) ? text.Length : 25));
                    break;
                default:
                    size += ValueOverhead;
                    break;
            }
        }

        return size;
    }
}
