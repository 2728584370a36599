using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MyBi.Pipelines.Internal;

/// <summary>
/// Builds a <see cref="PathIndex"/> for JSON read with line information. Newtonsoft reports where a token ends;
/// the start is worked back from the token's length so that errors point at the first character.
/// </summary>
internal static class JsonLineIndex
{
    public static PathIndex Build(JToken root)
    {
        var index = new PathIndex();
        Add(index, root, DocumentPath.Root, null);
        return index;
    }

    private static void Add(PathIndex index, JToken token, string path, TextPosition? key)
    {
        index.Add(path, new NodeLocation(token, key, StartOf(token)));
        switch (token)
        {
            case JObject mapping:
                foreach (var property in mapping.Properties())
                {
                    Add(index, property.Value, DocumentPath.Child(path, property.Name), StartOf(property));
                }

                break;
            case JArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    Add(index, list[i], DocumentPath.Item(path, i), null);
                }

                break;
        }
    }

    private static TextPosition StartOf(JToken token)
    {
        IJsonLineInfo info = token;
        if (!info.HasLineInfo())
        {
            return TextPosition.Start;
        }

        var length = token switch
        {
            // For a property Newtonsoft stands after the colon that follows the name.
            JProperty property => JsonConvert.ToString(property.Name).Length + 1,
            JValue value => value.ToString(Formatting.None).Length,
            _ => 1,
        };
        return new TextPosition(info.LineNumber, Math.Max(1, info.LinePosition - length + 1));
    }
}
