using System.Text.Json;
using System.Text.Json.Nodes;

namespace MyBi.Connectors.YClients.Http;

/// <summary>Cuts text values of a parsed answer to a maximum length, so one huge comment cannot fill the memory downstream.</summary>
internal static class TextCap
{
    /// <summary>Cuts every string longer than <paramref name="maxLength"/> in place; returns how many were cut.</summary>
    public static int Apply(JsonNode? node, int maxLength)
    {
        var cut = 0;
        var pending = new Stack<JsonNode>();
        if (node is not null)
        {
            pending.Push(node);
        }

        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj.ToArray())
                    {
                        if (Cut(child, maxLength) is { } shorter)
                        {
                            obj[key] = shorter;
                            cut++;
                        }
                        else if (child is JsonObject or JsonArray)
                        {
                            pending.Push(child);
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        var child = array[i];
                        if (Cut(child, maxLength) is { } shorter)
                        {
                            array[i] = shorter;
                            cut++;
                        }
                        else if (child is JsonObject or JsonArray)
                        {
                            pending.Push(child!);
                        }
                    }

                    break;
            }
        }

        return cut;
    }

    private static JsonValue? Cut(JsonNode? node, int maxLength)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetValue<string>();
        if (text.Length <= maxLength)
        {
            return null;
        }

        // Never split a surrogate pair: the result must stay valid UTF-16.
        var length = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return JsonValue.Create(text[..length]);
    }
}
