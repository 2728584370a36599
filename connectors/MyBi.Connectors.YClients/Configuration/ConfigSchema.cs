using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using NJsonSchema;
using MyBi.Connectors.YClients.Streams;
using NJsonSchema.Validation;

namespace MyBi.Connectors.YClients.Configuration;

/// <summary>
/// The connector's <c>config.schema.json</c> applied to a <c>source.config</c>: the only statement of its rules and
/// defaults. The host checks the same file before anything runs; the connector checks again so that it is just as
/// strict when it is created without a host (tests, tools), and fills in the defaults the schema declares.
/// </summary>
internal sealed class ConfigSchema
{
    private static readonly ConcurrentDictionary<string, ConfigSchema> s_cache = new(StringComparer.Ordinal);

    private readonly JsonSchema _schema;

    private ConfigSchema(JsonSchema schema)
    {
        _schema = schema;
    }

    /// <summary>The schema shipped next to the plugin assembly.</summary>
    public static ConfigSchema Shipped => Of(PluginFiles.Read(Path.Combine(StreamCatalog.PluginDirectory, "config.schema.json")));

    public static ConfigSchema Of(string schemaText)
    {
        ArgumentNullException.ThrowIfNull(schemaText);
        return s_cache.GetOrAdd(schemaText, static text =>
        {
            try
            {
                return new ConfigSchema(JsonSchema.FromJsonAsync(text).GetAwaiter().GetResult());
            }
            catch (Exception ex) when (ex is Newtonsoft.Json.JsonException or InvalidOperationException or NotSupportedException)
            {
                throw MyBiException.System($"The YCLIENTS config schema is broken ({ex.Message}); reinstall the plugin.");
            }
        });
    }

    /// <summary>The default the schema declares for <paramref name="key"/>, as text; empty when it declares none.</summary>
    public string DefaultOf(string key) =>
        _schema.ActualProperties.TryGetValue(key, out var property) && property.ActualSchema.Default is { } value
            ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""
            : "";

    /// <summary>
    /// Checks <paramref name="config"/> and returns a copy with every absent setting that has a schema default filled
    /// in; a violation is one Config error listing every problem (naming settings, never quoting values).
    /// </summary>
    public JsonObject Apply(JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = _schema.Validate(config.ToJsonString())
            .SelectMany(Flatten)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (problems.Count > 0)
        {
            throw MyBiException.Config($"YCLIENTS source config: {string.Join("; ", problems)}.");
        }

        var filled = (JsonObject)config.DeepClone();
        foreach (var (key, property) in _schema.ActualProperties)
        {
            if (!filled.ContainsKey(key) && property.ActualSchema.Default is { } fallback)
            {
                filled[key] = JsonNode.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(fallback));
            }
        }

        return filled;
    }

    private IEnumerable<string> Flatten(ValidationError error)
    {
        var key = KeyOf(error);
        switch (error)
        {
            case ChildSchemaValidationError alternatives when error.Kind == ValidationErrorKind.NotAnyOf:
                // Each alternative of the root's anyOf is a set of settings that must be present together.
                var choices = alternatives.Errors.Keys
                    .Select(branch => JoinAnd(branch.ActualSchema.RequiredProperties))
                    .Where(choice => choice.Length > 0)
                    .ToList();
                yield return choices.Count > 0 ? "set " + string.Join(", or ", choices) : $"{Subject(key)} matches none of the allowed forms";
                yield break;
            case ChildSchemaValidationError nested:
                foreach (var inner in nested.Errors.Values.SelectMany(e => e).SelectMany(Flatten))
                {
                    yield return inner;
                }

                yield break;
        }

        var schema = error.Schema?.ActualSchema;
        yield return error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => $"{error.Property} is required",
            ValidationErrorKind.NoAdditionalPropertiesAllowed =>
                $"unknown setting '{error.Property}' (known: {string.Join(", ", _schema.ActualProperties.Keys.Order(StringComparer.Ordinal))})",
            ValidationErrorKind.StringExpected => $"{Subject(key)} must be a text",
            ValidationErrorKind.IntegerExpected => $"{Subject(key)} must be an integer",
            ValidationErrorKind.NumberExpected => $"{Subject(key)} must be a number",
            ValidationErrorKind.ArrayExpected => $"{Subject(key)} must be a list",
            ValidationErrorKind.ObjectExpected => $"{Subject(key)} must be a mapping",
            ValidationErrorKind.StringTooShort => $"{Subject(key)} must not be empty",
            ValidationErrorKind.TooFewItems => $"{Subject(key)} must not be empty",
            ValidationErrorKind.ItemsNotUnique => $"{Subject(key)} must not list the same value twice",
            ValidationErrorKind.NumberTooSmall or ValidationErrorKind.NumberTooBig => $"{Subject(key)} {Range(schema)}",
            ValidationErrorKind.PatternMismatch => $"{Subject(key)} {PatternMessage(schema)}",
            ValidationErrorKind.UriExpected => $"{Subject(key)} must be a URL such as {schema?.Default ?? "https://example.com"}",
            ValidationErrorKind.ExcludedSchemaValidates when schema?.Not?.ActualSchema is { RequiredProperties.Count: > 1 } excluded =>
                $"set either {string.Join(" or ", excluded.RequiredProperties)}, not both",
            _ => $"{Subject(key)} is not valid ({error.Kind})",
        };
    }

    /// <summary>"page_size", "company_ids[1]", or empty for the whole config.</summary>
    private static string KeyOf(ValidationError error)
    {
        var path = error.Path ?? "";
        return path.StartsWith("#/", StringComparison.Ordinal) ? path[2..].Replace('/', '.') : path.TrimStart('#');
    }

    private static string Subject(string key) => key.Length == 0 ? "the config" : key;

    private static string Range(JsonSchema? schema)
    {
        var min = schema?.Minimum ?? schema?.ExclusiveMinimum;
        var max = schema?.Maximum ?? schema?.ExclusiveMaximum;
        var exclusiveMin = schema?.ExclusiveMinimum is not null || schema?.IsExclusiveMinimum == true;
        return (min, max) switch
        {
            ({ } low, { } high) => $"must be between {Format(low)} and {Format(high)}",
            ({ } low, null) => exclusiveMin ? $"must be greater than {Format(low)}" : $"must be at least {Format(low)}",
            (null, { } high) => $"must be at most {Format(high)}",
            _ => "is out of range",
        };
    }

    private static string PatternMessage(JsonSchema? schema) =>
        schema?.ExtensionData is { } extensions && extensions.TryGetValue("x-pattern-message", out var custom) && custom is not null
            ? Convert.ToString(custom, CultureInfo.InvariantCulture) ?? ""
            : "does not have the expected form";

    private static string JoinAnd(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Join("", list) : string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1];
    }

    private static string Format(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
