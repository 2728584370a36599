using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MyBi.Abstractions.Errors;

namespace MyBi.Connectors.YClients.Configuration;

/// <summary>The typed <c>source.config</c> of the connector, checked against its JSON Schema once at connect time.</summary>
/// <remarks>Its defaults are those <c>config.schema.json</c> declares; there is no second copy of them here.</remarks>
internal sealed class YClientsOptions
{
    public required Uri BaseUrl { get; init; }

    public required string PartnerToken { get; init; }

    public string? UserToken { get; init; }

    public string? Login { get; init; }

    public string? Password { get; init; }

    /// <summary>The configured companies; empty means every company the user manages.</summary>
    public required IReadOnlyList<long> CompanyIds { get; init; }

    public required int PageSize { get; init; }

    public required int LookbackDays { get; init; }

    public required int FirstRunDays { get; init; }

    public required double RequestsPerSecond { get; init; }

    public required double RequestsPerMinute { get; init; }

    public required int MaxRetries { get; init; }

    public required TimeSpan Timeout { get; init; }

    /// <summary>Largest body of one answer, counted after decompression; a larger one fails the read.</summary>
    public required long MaxResponseBytes { get; init; }

    /// <summary>Longest text value kept from an answer, in characters; longer ones are cut with a warning.</summary>
    public required int MaxTextLength { get; init; }

    /// <summary>Whether documents that only transactions name are fetched one by one (<c>documents.details</c>).</summary>
    public bool DocumentDetails { get; init; }

    /// <summary>host:port of the API, for messages.</summary>
    public string Endpoint => $"{BaseUrl.Host}:{BaseUrl.Port}";

    /// <summary>Checks <paramref name="config"/> against the shipped <c>config.schema.json</c> and binds it.</summary>
    public static YClientsOptions Parse(JsonObject config) => Parse(config, ConfigSchema.Shipped);

    /// <summary>
    /// Checks <paramref name="config"/> against <paramref name="schema"/> (the only statement of the rules and
    /// defaults) and binds the checked values; nothing here repeats a rule of the schema.
    /// </summary>
    public static YClientsOptions Parse(JsonObject config, ConfigSchema schema)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(schema);
        var bound = schema.Apply(config).Deserialize(YClientsConfigJsonContext.Default.YClientsConfig)
            ?? throw MyBiException.System("The YCLIENTS source config bound to nothing.");

        // The schema's pattern admits only http(s) addresses; a text it admits that .NET still cannot read as a URL
        // is the one case left to refuse here.
        if (!Uri.TryCreate(bound.BaseUrl.TrimEnd('/'), UriKind.Absolute, out var baseUrl))
        {
            throw MyBiException.Config("YCLIENTS source config: base_url is not a URL .NET can use.");
        }

        // A user token wins over login and password: the schema asks for one of the two, and allows both.
        var userToken = bound.UserToken?.Trim();
        return new YClientsOptions
        {
            BaseUrl = baseUrl,
            PartnerToken = bound.PartnerToken.Trim(),
            UserToken = userToken,
            Login = userToken is null ? bound.Login?.Trim() : null,
            // Passwords may legitimately begin or end with spaces.
            Password = userToken is null ? bound.Password : null,
            CompanyIds = bound.CompanyId is { } one ? [one] : bound.CompanyIds ?? [],
            PageSize = bound.PageSize,
            LookbackDays = bound.LookbackDays,
            FirstRunDays = bound.FirstRunDays,
            RequestsPerSecond = bound.RequestsPerSecond,
            RequestsPerMinute = bound.RequestsPerMinute,
            MaxRetries = bound.MaxRetries,
            Timeout = TimeSpan.FromSeconds(bound.TimeoutSeconds),
            MaxResponseBytes = bound.MaxResponseMegabytes * 1024L * 1024,
            MaxTextLength = bound.MaxTextLength,
            DocumentDetails = bound.Documents?.Details ?? false,
        };
    }
}

/// <summary>
/// <c>source.config</c> as <c>config.schema.json</c> describes it, after the schema's defaults are filled in; the
/// settings with a default are therefore never absent here.
/// </summary>
internal sealed record YClientsConfig(
    [property: JsonPropertyName("base_url")] string BaseUrl,
    [property: JsonPropertyName("partner_token")] string PartnerToken,
    [property: JsonPropertyName("user_token")] string? UserToken,
    [property: JsonPropertyName("login")] string? Login,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("company_id")] long? CompanyId,
    [property: JsonPropertyName("company_ids")] IReadOnlyList<long>? CompanyIds,
    [property: JsonPropertyName("page_size")] int PageSize,
    [property: JsonPropertyName("lookback_days")] int LookbackDays,
    [property: JsonPropertyName("first_run_days")] int FirstRunDays,
    [property: JsonPropertyName("requests_per_second")] double RequestsPerSecond,
    [property: JsonPropertyName("requests_per_minute")] double RequestsPerMinute,
    [property: JsonPropertyName("max_retries")] int MaxRetries,
    [property: JsonPropertyName("timeout_seconds")] int TimeoutSeconds,
    [property: JsonPropertyName("max_response_mb")] int MaxResponseMegabytes,
    [property: JsonPropertyName("max_text_length")] int MaxTextLength,
    [property: JsonPropertyName("documents")] DocumentsConfig? Documents);

/// <summary><c>source.config.documents</c>.</summary>
internal sealed record DocumentsConfig([property: JsonPropertyName("details")] bool? Details);

[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(YClientsConfig))]
internal sealed partial class YClientsConfigJsonContext : JsonSerializerContext
{
}
