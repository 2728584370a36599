using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace MyBi.Pipelines.Internal.Validation;

/// <summary>Collects the values of keys whose schema says <c>"x-secret": true</c>, walking schema and value together.</summary>
internal static class SecretCollector
{
    private const int MaxDepth = 64;

    public static void Collect(JsonSchema schema, JToken token, SecretSet secrets) => Collect(schema, token, secrets, 0);

    private static void Collect(JsonSchema schema, JToken token, SecretSet secrets, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        var actual = schema.ActualSchema;
        if (IsSecret(actual))
        {
            AddValues(token, secrets);
        }

        foreach (var branch in actual.AllOf.Concat(actual.AnyOf).Concat(actual.OneOf))
        {
            Collect(branch, token, secrets, depth + 1);
        }

        switch (token)
        {
            case JObject mapping:
                foreach (var property in mapping.Properties())
                {
                    if (actual.ActualProperties.TryGetValue(property.Name, out var propertySchema))
                    {
                        Collect(propertySchema, property.Value, secrets, depth + 1);
                    }
                    else if (actual.AdditionalPropertiesSchema is { } additional)
                    {
                        Collect(additional, property.Value, secrets, depth + 1);
                    }
                }

                break;
            case JArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    var itemSchema = actual.Item ?? (i < actual.Items.Count ? actual.Items.ElementAt(i) : null);
                    if (itemSchema is not null)
                    {
                        Collect(itemSchema, list[i], secrets, depth + 1);
                    }
                }

                break;
        }
    }

    private static bool IsSecret(JsonSchema schema) =>
        schema.ExtensionData is { } extensions
        && extensions.TryGetValue("x-secret", out var flag)
        && (flag is true || (flag is JValue { Type: JTokenType.Boolean } value && (bool)value));

    private static void AddValues(JToken token, SecretSet secrets)
    {
        switch (token)
        {
            case JValue { Type: JTokenType.Null }:
                return;
            case JValue { Type: JTokenType.String } text:
                secrets.AddWithParts((string)text!);
                return;
            case JValue scalar:
                secrets.AddWithParts(scalar.ToString(Formatting.None));
                return;
            default:
                foreach (var child in token.Children())
                {
                    AddValues(child is JProperty property ? property.Value : child, secrets);
                }

                return;
        }
    }
}
