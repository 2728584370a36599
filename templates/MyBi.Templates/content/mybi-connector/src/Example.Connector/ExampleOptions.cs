using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MyBi.Abstractions.Errors;

namespace Example.Connector;

/// <summary>
/// source.config, bound from JSON that the engine has already checked against config.schema.json: the schema is the
/// one place where its rules live, so nothing here repeats them.
/// </summary>
public sealed class ExampleOptions
{
    private static readonly JsonSerializerOptions s_json = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    /// <summary>The API's address.</summary>
    [JsonPropertyName("base_url")]
    public required Uri BaseUrl { get; init; }

    /// <summary>The API key; never logged or put into a message.</summary>
    [JsonPropertyName("api_key")]
    public required string ApiKey { get; init; }

    /// <summary>The day a first run starts from; null for every item.</summary>
    [JsonPropertyName("start_date")]
    public DateOnly? StartDate { get; init; }

    /// <summary>Items per request.</summary>
    [JsonPropertyName("page_size")]
    public int PageSize { get; init; } = 100;

    /// <summary>Binds the config; a value of the wrong shape is a configuration error naming the setting only.</summary>
    public static ExampleOptions Bind(JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        try
        {
            var options = config.Deserialize<ExampleOptions>(s_json)
                ?? throw MyBiException.Config("example-api: source.config is empty.");
            return options.BaseUrl.IsAbsoluteUri && options.BaseUrl.Scheme is "http" or "https"
                ? options
                : throw MyBiException.Config("example-api: source.config.base_url must be an http(s) address, e.g. https://api.example.com/v1.");
        }
        catch (JsonException ex)
        {
            // The exception's path names the setting; its message could quote the value, which may be the key.
            var setting = ex.Path is { Length: > 1 } path ? "source.config" + path.TrimStart('$') : "source.config (base_url and api_key are required)";
            throw MyBiException.Config($"example-api: {setting} is missing or has the wrong type.");
        }
    }
}
