using System.Globalization;
using System.Text.Json.Nodes;

namespace MyBi.Connectors.YClients.Parsing;

/// <summary>
/// The wall clock of one company. YCLIENTS gives some times as naive local strings; they mean the company's
/// local time and are placed in its zone with this clock before rows are yielded.
/// </summary>
internal sealed class CompanyClock
{
    private readonly TimeZoneInfo _zone;

    private CompanyClock(TimeZoneInfo zone, bool known)
    {
        _zone = zone;
        IsKnown = known;
    }

    /// <summary>False when the company gave no usable zone and UTC is assumed.</summary>
    public bool IsKnown { get; }

    /// <summary>The zone's id (IANA name or a fixed offset).</summary>
    public string ZoneId => _zone.Id;

    /// <summary>
    /// The zone as an IANA name, for consumers that look zones up by name: a named zone as it is, a fixed whole-hour
    /// offset as its <c>Etc/GMT</c> zone (whose sign is inverted by convention); null when unknown or when the offset
    /// has minutes, which no IANA name holds.
    /// </summary>
    public string? IanaId
    {
        get
        {
            if (!IsKnown)
            {
                return null;
            }

            if (!_zone.Id.StartsWith("UTC", StringComparison.Ordinal))
            {
                return _zone.Id;
            }

            var offset = _zone.BaseUtcOffset;
            return offset == TimeSpan.Zero ? "UTC"
                : offset.Minutes != 0 ? null
                : string.Create(CultureInfo.InvariantCulture, $"Etc/GMT{(offset < TimeSpan.Zero ? "+" : "-")}{Math.Abs(offset.Hours)}");
        }
    }

    /// <summary>
    /// Builds the clock from a company object: <c>timezone_name</c> or <c>timezone</c> as an IANA name
    /// ("Europe/Moscow"), or <c>timezone</c> as an hour offset (3, "3", "+05:00").
    /// </summary>
    public static CompanyClock FromCompany(JsonObject? company)
    {
        foreach (var key in new[] { "timezone_name", "timezone" })
        {
            if (TryZone(company?[key], out var zone))
            {
                return new CompanyClock(zone, known: true);
            }
        }

        return new CompanyClock(TimeZoneInfo.Utc, known: false);
    }

    /// <summary>A clock of a fixed offset.</summary>
    public static CompanyClock Fixed(TimeSpan offset) => new(FixedZone(offset), known: true);

    /// <summary>Places a naive local time in the company's zone.</summary>
    public DateTimeOffset ToOffset(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // A time inside a spring-forward gap does not exist; the offset before the change is the sensible reading.
        var offset = _zone.IsInvalidTime(unspecified)
            ? _zone.GetUtcOffset(unspecified.AddHours(-1))
            : _zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset);
    }

    /// <summary>The company's local time at an instant.</summary>
    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, _zone);

    /// <summary>The company's calendar day at an instant.</summary>
    public DateOnly Today(DateTimeOffset instant) => DateOnly.FromDateTime(Local(instant).DateTime);

    /// <summary>The instant the given local day starts.</summary>
    public DateTimeOffset StartOf(DateOnly day) => ToOffset(day.ToDateTime(TimeOnly.MinValue));

    private static bool TryZone(JsonNode? node, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (Lenient.Decimal(node) is { } hours && hours is >= -14 and <= 14)
        {
            zone = FixedZone(TimeSpan.FromMinutes((double)Math.Round(hours * 60)));
            return true;
        }

        var text = Lenient.Text(node)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if ((text[0] == '+' || text[0] == '-')
            && TimeSpan.TryParseExact(text[1..], ["hh\\:mm", "hhmm", "hh"], CultureInfo.InvariantCulture, out var span))
        {
            zone = FixedZone(text[0] == '-' ? -span : span);
            return true;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(text);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }

    private static TimeZoneInfo FixedZone(TimeSpan offset)
    {
        var name = (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh\\:mm", CultureInfo.InvariantCulture);
        return TimeZoneInfo.CreateCustomTimeZone("UTC" + name, offset, "UTC" + name, "UTC" + name);
    }
}
