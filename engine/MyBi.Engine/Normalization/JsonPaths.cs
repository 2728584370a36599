using System.Text.Json.Nodes;

namespace MyBi.Engine.Normalization;

/// <summary>Reads a value by its property path (["client", "id"]); a missing step or a non-object gives null.</summary>
internal static class JsonPaths
{
    public static JsonNode? Navigate(JsonObject data, string[] path)
    {
        JsonNode? current = data;
        foreach (var segment in path)
        {
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(segment, out current))
            {
                return null;
            }
        }

        return current;
    }
}
