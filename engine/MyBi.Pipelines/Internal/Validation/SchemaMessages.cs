using System.Globalization;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace MyBi.Pipelines.Internal.Validation;

/// <summary>Short messages for single validation errors. They describe the rule, never the offending value.</summary>
internal static class SchemaMessages
{
    public static string For(ValidationError error)
    {
        var schema = error.Schema?.ActualSchema;
        return error.Kind switch
        {
            ValidationErrorKind.StringExpected or ValidationErrorKind.NumberExpected or ValidationErrorKind.IntegerExpected
                or ValidationErrorKind.BooleanExpected or ValidationErrorKind.ObjectExpected or ValidationErrorKind.ArrayExpected
                or ValidationErrorKind.NullExpected => "expected " + JoinAlternatives(ExpectedKinds(error)),
            ValidationErrorKind.PropertyRequired => "is required",
            ValidationErrorKind.PatternMismatch => PatternMessage(schema),
            ValidationErrorKind.StringTooShort => schema?.MinLength is int min && min > 1 ? $"must be at least {min} characters" : "must not be empty",
            ValidationErrorKind.StringTooLong => schema?.MaxLength is int max ? $"must be at most {max} characters" : "is too long",
            ValidationErrorKind.NumberTooSmall => TooSmall(schema),
            ValidationErrorKind.NumberTooBig => TooBig(schema),
            ValidationErrorKind.IntegerTooBig => "is too large",
            ValidationErrorKind.TooManyItems => schema?.MaxItems is int maxItems ? $"must have at most {maxItems} item{Plural(maxItems)}" : "has too many items",
            ValidationErrorKind.TooFewItems => schema?.MinItems is int minItems && minItems > 1 ? $"must have at least {minItems} items" : "must not be empty",
            ValidationErrorKind.ItemsNotUnique => "must not list the same value twice",
            ValidationErrorKind.TooManyItemsInTuple => "has too many items",
            ValidationErrorKind.TooManyProperties => schema?.MaxProperties is int maxKeys ? $"must have at most {maxKeys} key{Plural(maxKeys)}" : "has too many keys",
            ValidationErrorKind.TooFewProperties => schema?.MinProperties is int minKeys && minKeys > 1 ? $"must have at least {minKeys} keys" : "must not be empty",
            ValidationErrorKind.NumberNotMultipleOf or ValidationErrorKind.IntegerNotMultipleOf =>
                schema?.MultipleOf is decimal step ? $"must be a multiple of {Format(step)}" : "is not an allowed step",
            ValidationErrorKind.NotInEnumeration => "must be one of: " + string.Join(", ", EnumValues(schema)),
            ValidationErrorKind.DateTimeExpected => "expected a date and time such as 2024-01-31T09:30:00+03:00",
            ValidationErrorKind.DateExpected => "expected a date such as 2024-01-31",
            ValidationErrorKind.TimeExpected => "expected a time such as 09:30:00",
            ValidationErrorKind.TimeSpanExpected => "expected a duration such as 00:30:00",
            ValidationErrorKind.UriExpected => "expected a URL such as https://example.com/path",
            ValidationErrorKind.IpV4Expected => "expected an IPv4 address",
            ValidationErrorKind.IpV6Expected => "expected an IPv6 address",
            ValidationErrorKind.GuidExpected or ValidationErrorKind.UuidExpected => "expected a UUID",
            ValidationErrorKind.EmailExpected => "expected an e-mail address",
            ValidationErrorKind.HostnameExpected => "expected a host name",
            ValidationErrorKind.Base64Expected => "expected base64 text",
            ValidationErrorKind.ExcludedSchemaValidates => Excluded(schema),
            _ => "is not valid here",
        };
    }

    /// <summary>The kinds of value an error says were expected, in user words ("an integer", "a mapping").</summary>
    public static IEnumerable<string> ExpectedKinds(ValidationError error) => error switch
    {
        MultiTypeValidationError multi => multi.Errors.Keys.SelectMany(Names),
        _ => error.Kind switch
        {
            ValidationErrorKind.StringExpected => ["a string"],
            ValidationErrorKind.NumberExpected => ["a number"],
            ValidationErrorKind.IntegerExpected => ["an integer"],
            ValidationErrorKind.BooleanExpected => ["true or false"],
            ValidationErrorKind.ObjectExpected => ["a mapping"],
            ValidationErrorKind.ArrayExpected => ["a list"],
            ValidationErrorKind.NullExpected => ["null"],
            _ => [],
        },
    };

    public static bool IsTypeMismatch(ValidationError error) => error.Kind is ValidationErrorKind.StringExpected
        or ValidationErrorKind.NumberExpected or ValidationErrorKind.IntegerExpected or ValidationErrorKind.BooleanExpected
        or ValidationErrorKind.ObjectExpected or ValidationErrorKind.ArrayExpected or ValidationErrorKind.NullExpected
        or ValidationErrorKind.NoTypeValidates;

    public static string JoinAlternatives(IEnumerable<string> alternatives)
    {
        var list = alternatives.Distinct(StringComparer.Ordinal).ToList();
        return list.Count switch
        {
            0 => "a different kind of value",
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " or " + list[^1],
        };
    }

    public static IEnumerable<string> EnumValues(JsonSchema? schema) =>
        schema?.Enumeration.Select(FormatEnumValue) ?? [];

    private static IEnumerable<string> Names(JsonObjectType type)
    {
        foreach (var (flag, name) in new[]
        {
            (JsonObjectType.String, "a string"), (JsonObjectType.Integer, "an integer"), (JsonObjectType.Number, "a number"),
            (JsonObjectType.Boolean, "true or false"), (JsonObjectType.Object, "a mapping"), (JsonObjectType.Array, "a list"),
            (JsonObjectType.Null, "null"),
        })
        {
            if (type.HasFlag(flag))
            {
                yield return name;
            }
        }
    }

    private static string PatternMessage(JsonSchema? schema)
    {
        if (schema?.ExtensionData is { } extensions && extensions.TryGetValue("x-pattern-message", out var custom) && custom is not null)
        {
            return custom is JValue value ? value.ToString(CultureInfo.InvariantCulture) : custom.ToString() ?? "";
        }

        return schema?.Pattern is { } pattern ? $"must match the pattern {pattern}" : "does not have the expected form";
    }

    private static string TooSmall(JsonSchema? schema)
    {
        if (schema?.ExclusiveMinimum is decimal exclusive)
        {
            return $"must be greater than {Format(exclusive)}";
        }

        if (schema?.Minimum is decimal minimum)
        {
            return schema.IsExclusiveMinimum ? $"must be greater than {Format(minimum)}" : $"must be at least {Format(minimum)}";
        }

        return "is too small";
    }

    private static string TooBig(JsonSchema? schema)
    {
        if (schema?.ExclusiveMaximum is decimal exclusive)
        {
            return $"must be less than {Format(exclusive)}";
        }

        if (schema?.Maximum is decimal maximum)
        {
            return schema.IsExclusiveMaximum ? $"must be less than {Format(maximum)}" : $"must be at most {Format(maximum)}";
        }

        return "is too large";
    }

    private static string Excluded(JsonSchema? schema)
    {
        var excluded = schema?.Not?.ActualSchema;
        if (excluded is { RequiredProperties.Count: > 1 } && excluded.ActualProperties.Count == 0)
        {
            return $"cannot use {JoinAnd(excluded.RequiredProperties)} together; keep one";
        }

        return "is a combination of settings that is not allowed";
    }

    public static string JoinAnd(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Join("", list) : string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1];
    }

    private static string FormatEnumValue(object? value) => value switch
    {
        null => "null",
        bool flag => flag ? "true" : "false",
        JValue { Value: null } => "null",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Format(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    private static string Plural(int count) => count == 1 ? "" : "s";
}
