using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;

namespace MyBi.Connectors.YClients.Configuration;

/// <summary>The typed <c>source.config</c> of the connector, validated once at connect time.</summary>
internal sealed class YClientsOptions
{
    public const string DefaultBaseUrl = "https://api.yclients.com/api/v1";

    private static readonly HashSet<string> s_knownKeys = new(StringComparer.Ordinal)
    {
        "base_url", "partner_token", "user_token", "login", "password", "company_id", "company_ids", "page_size",
        "lookback_days", "first_run_days", "requests_per_second", "requests_per_minute", "max_retries", "timeout_seconds",
        "max_response_mb", "max_text_length",
    };

    public required Uri BaseUrl { get; init; }

    public required string PartnerToken { get; init; }

    public string? UserToken { get; init; }

    public string? Login { get; init; }

    public string? Password { get; init; }

    /// <summary>The configured companies; empty means every company the user manages.</summary>
    public IReadOnlyList<long> CompanyIds { get; init; } = [];

    public int PageSize { get; init; } = 200;

    public int LookbackDays { get; init; } = 3;

    public int FirstRunDays { get; init; } = 2;

    public double RequestsPerSecond { get; init; } = 5;

    public double RequestsPerMinute { get; init; } = 200;

    public int MaxRetries { get; init; } = 5;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest body of one answer, counted after decompression; a larger one fails the read.</summary>
    public long MaxResponseBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Longest text value kept from an answer, in characters; longer ones are cut with a warning.</summary>
    public int MaxTextLength { get; init; } = 65_536;

    /// <summary>host:port of the API, for messages.</summary>
    public string Endpoint => $"{BaseUrl.Host}:{BaseUrl.Port}";

    public static YClientsOptions Parse(JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var (key, _) in config)
        {
            if (!s_knownKeys.Contains(key))
            {
                throw Invalid($"unknown setting '{key}' (known: {string.Join(", ", s_knownKeys.Order(StringComparer.Ordinal))})");
            }
        }

        var baseUrlText = String(config, "base_url") ?? DefaultBaseUrl;
        if (!Uri.TryCreate(baseUrlText.TrimEnd('/'), UriKind.Absolute, out var baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw Invalid($"base_url '{baseUrlText}' is not an http(s) URL");
        }

        var partnerToken = String(config, "partner_token");
        if (string.IsNullOrWhiteSpace(partnerToken))
        {
            throw Invalid("partner_token is required (the developer token issued by YCLIENTS)");
        }

        var userToken = String(config, "user_token");
        var login = String(config, "login");
        var password = String(config, "password");
        if (string.IsNullOrWhiteSpace(userToken))
        {
            userToken = null;
            if (string.IsNullOrWhiteSpace(login) || string.IsNullOrEmpty(password))
            {
                throw Invalid("set user_token, or login and password (exchanged for a user token via POST /auth)");
            }
        }

        var companies = new List<long>();
        if (config["company_id"] is { } single)
        {
            companies.Add(Integer(single, "company_id", 1, long.MaxValue));
        }

        if (config["company_ids"] is { } many)
        {
            if (companies.Count > 0)
            {
                throw Invalid("set either company_id or company_ids, not both");
            }

            if (many is not JsonArray array || array.Count == 0)
            {
                throw Invalid("company_ids must be a non-empty list of company ids");
            }

            foreach (var item in array)
            {
                var id = Integer(item, "company_ids", 1, long.MaxValue);
                if (!companies.Contains(id))
                {
                    companies.Add(id);
                }
            }
        }

        return new YClientsOptions
        {
            BaseUrl = baseUrl,
            PartnerToken = partnerToken.Trim(),
            UserToken = userToken?.Trim(),
            Login = userToken is null ? login!.Trim() : null,
            Password = userToken is null ? password : null,
            CompanyIds = companies,
            PageSize = (int)OptionalInteger(config, "page_size", 200, 1, 300),
            LookbackDays = (int)OptionalInteger(config, "lookback_days", 3, 0, 365),
            FirstRunDays = (int)OptionalInteger(config, "first_run_days", 2, 1, 3650),
            RequestsPerSecond = OptionalPositive(config, "requests_per_second", 5),
            RequestsPerMinute = OptionalPositive(config, "requests_per_minute", 200),
            MaxRetries = (int)OptionalInteger(config, "max_retries", 5, 0, 20),
            Timeout = TimeSpan.FromSeconds(OptionalInteger(config, "timeout_seconds", 30, 1, 600)),
            MaxResponseBytes = OptionalInteger(config, "max_response_mb", 32, 1, 1024) * 1024 * 1024,
            MaxTextLength = (int)OptionalInteger(config, "max_text_length", 65_536, 256, 16_777_216),
        };
    }

    private static string? String(JsonObject config, string key) => config[key] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw Invalid($"{key} must be a text"),
    };

    private static long OptionalInteger(JsonObject config, string key, long fallback, long min, long max) =>
        config[key] is { } node ? Integer(node, key, min, max) : fallback;

    private static long Integer(JsonNode? node, string key, long min, long max)
    {
        long? value = null;
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number)
            {
                value = Parsing.Lenient.Long(v);
            }
            else if (v.GetValueKind() == JsonValueKind.String
                     && long.TryParse(v.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s))
            {
                value = s;
            }
        }

        if (value is null || value < min || value > max)
        {
            var range = max == long.MaxValue ? $"at least {min}" : $"between {min} and {max}";
            throw Invalid($"{key} must be an integer {range}");
        }

        return value.Value;
    }

    private static double OptionalPositive(JsonObject config, string key, double fallback)
    {
        if (config[key] is not { } node)
        {
            return fallback;
        }

        double? value = null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && Parsing.Lenient.Decimal(v) is { } d)
        {
            value = (double)d;
        }
        else if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String
                 && double.TryParse(s.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }

        if (value is not > 0 || double.IsInfinity(value.Value))
        {
            throw Invalid($"{key} must be a positive number");
        }

        return value.Value;
    }

    private static MyBiException Invalid(string reason) => MyBiException.Config($"YCLIENTS source config: {reason}.");
}
