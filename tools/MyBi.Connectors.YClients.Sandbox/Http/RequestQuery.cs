using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>Typed access to query parameters; a value that cannot be parsed is a 400, as it would be on the live API.</summary>
internal sealed partial class RequestQuery(HttpContext context)
{
    private readonly IQueryCollection _query = context.Request.Query;

    public string? Text(string name)
    {
        var value = _query[name].ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>A positive integer; missing or non-positive values take the default.</summary>
    public int PositiveInt(string name, int defaultValue)
    {
        var text = Text(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new BadRequestException($"Параметр {name} должен быть целым числом", name);
        }

        return value < 1 ? defaultValue : value;
    }

    /// <summary>An id filter; 0 or missing means no filter.</summary>
    public long? Id(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new BadRequestException($"Параметр {name} должен быть целым числом", name);
        }

        return value == 0 ? null : value;
    }

    public bool Flag(string name) => Text(name) is "1" or "true" or "True";

    /// <summary>Explicit 0/1 flag, or null when absent.</summary>
    public bool? OptionalFlag(string name) => Text(name) switch
    {
        null => null,
        "1" or "true" => true,
        "0" or "false" => false,
        _ => throw new BadRequestException($"Параметр {name} должен быть 0 или 1", name),
    };

    /// <summary>A <c>YYYY-MM-DD</c> date; a datetime is accepted and its date part used.</summary>
    public DateOnly? Date(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (text.Length >= 10 && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        throw new BadRequestException($"Параметр {name} должен быть датой в формате YYYY-MM-DD", name);
    }

    /// <summary>An instant such as <c>2024-03-01T00:00:00</c>, <c>…+0300</c>, <c>…+03:00</c> or <c>…Z</c>. Without an
    /// offset the company's local time is meant. A "+" sent unencoded arrives as a space and is read as "+".</summary>
    public DateTimeOffset? Instant(string name, TimeSpan companyOffset)
    {
        var text = _query[name].ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = InstantPattern().Match(text.TrimStart());
        if (!match.Success)
        {
            throw new BadRequestException($"Параметр {name} должен быть датой и временем в формате ISO 8601", name);
        }

        try
        {
            var local = new DateTime(
                Number(match, 1), Number(match, 2), Number(match, 3),
                Number(match, 4), Number(match, 5), Number(match, 6), DateTimeKind.Unspecified);
            return new DateTimeOffset(local, Offset(match.Groups[7].Value, companyOffset));
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new BadRequestException($"Параметр {name} содержит несуществующую дату", name);
        }
    }

    private static int Number(Match match, int group) =>
        match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    private static TimeSpan Offset(string text, TimeSpan companyOffset)
    {
        if (text.Length == 0)
        {
            return companyOffset;
        }

        if (text is "Z" or "z")
        {
            return TimeSpan.Zero;
        }

        var sign = text[0] == '-' ? -1 : 1;
        var digits = text[1..].Replace(":", "", StringComparison.Ordinal);
        var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
        var minutes = int.Parse(digits[2..], CultureInfo.InvariantCulture);
        return sign * new TimeSpan(hours, minutes, 0);
    }

    [GeneratedRegex(@"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|z|[+\- ]\d{2}:?\d{2})?$")]
    private static partial Regex InstantPattern();
}
