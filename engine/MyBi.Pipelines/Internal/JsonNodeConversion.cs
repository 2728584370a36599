using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;

namespace MyBi.Pipelines.Internal;

/// <summary>Newtonsoft (what the validator reads) to System.Text.Json nodes (what the engine and plugins get).</summary>
internal static class JsonNodeConversion
{
    public static JsonObject ToObject(JToken? token) => ToNode(token) as JsonObject ?? new JsonObject();

    public static JsonNode? ToNode(JToken? token) => token switch
    {
        null => null,
        JObject mapping => new JsonObject(mapping.Properties().Select(p => KeyValuePair.Create(p.Name, ToNode(p.Value)))),
        JArray list => new JsonArray(list.Select(ToNode).ToArray()),
        JValue { Type: JTokenType.Null } => null,
        JValue { Value: string text } => JsonValue.Create(text),
        JValue { Value: bool flag } => JsonValue.Create(flag),
        JValue { Value: long integer } => JsonValue.Create(integer),
        JValue { Value: double number } => JsonValue.Create(number),
        JValue { Value: decimal number } => JsonValue.Create(number),
        JValue { Value: BigInteger big } => JsonNode.Parse(big.ToString(CultureInfo.InvariantCulture)),
        JValue other => JsonValue.Create(Convert.ToString(other.Value, CultureInfo.InvariantCulture)),
        _ => null,
    };
}
