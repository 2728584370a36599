using System.Text.Json;
using System.Text.Json.Nodes;

namespace MyBi.Connectors.YClients.Http;

/// <summary>The YCLIENTS answer envelope <c>{success, data, meta}</c>.</summary>
internal sealed class ApiEnvelope
{
    private ApiEnvelope(bool success, JsonNode? data, JsonNode? meta)
    {
        Success = success;
        Data = data;
        Meta = meta;
    }

    public bool Success { get; }

    public JsonNode? Data { get; }

    /// <summary><c>[]</c> on single objects, an object such as <c>{page,total_count}</c> on lists.</summary>
    public JsonNode? Meta { get; }

    /// <summary><c>meta.message</c> of an error answer.</summary>
    public string? Message => (Meta as JsonObject)?["message"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
        ? v.GetValue<string>()
        : null;

    /// <summary>The list in <c>data</c>; null and PHP's <c>{}</c>-for-nothing count as empty.</summary>
    public JsonArray Items => Data switch
    {
        JsonArray array => array,
        JsonObject obj when obj.Count == 0 => [],
        null => [],
        _ => throw new FormatException("the answer's data is not a list"),
    };

    /// <summary>An envelope holding an empty list, for "Не найдено" answers to list requests.</summary>
    public static ApiEnvelope Empty() => new(true, new JsonArray(), new JsonArray());

    /// <summary>
    /// Parses a body. Envelopes missing <c>success</c> are taken as successful; a bare JSON array (some endpoints
    /// answer without the envelope) becomes the data of a successful envelope.
    /// </summary>
    public static bool TryParse(string body, out ApiEnvelope envelope)
    {
        envelope = Empty();
        if (string.IsNullOrWhiteSpace(body))
        {
            return false;
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return false;
        }

        return TryRead(root, out envelope);
    }

    /// <summary>
    /// Reads a parsed body as in <see cref="TryParse(string, out ApiEnvelope)"/>. The Blueprint shows <c>POST /auth</c>
    /// answering with the bare user object <c>{user_token, …}</c>; that object becomes the data of a successful envelope.
    /// </summary>
    public static bool TryRead(JsonNode? root, out ApiEnvelope envelope)
    {
        envelope = Empty();
        switch (root)
        {
            case JsonArray bare:
                envelope = new ApiEnvelope(true, bare, null);
                return true;
            case JsonObject obj when obj.ContainsKey("success") || obj.ContainsKey("data"):
                var success = obj["success"] is null || (Parsing.Lenient.Bool(obj["success"]) ?? false);
                var data = obj["data"];
                var meta = obj["meta"];
                obj.Remove("data");
                obj.Remove("meta");
                envelope = new ApiEnvelope(success, data, meta);
                return true;
            case JsonObject user when user.ContainsKey("user_token"):
                envelope = new ApiEnvelope(true, user, null);
                return true;
            default:
                return false;
        }
    }
}
