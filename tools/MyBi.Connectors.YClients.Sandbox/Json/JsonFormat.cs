using System.Globalization;
using System.Text.Json;

namespace MyBi.Connectors.YClients.Sandbox.Json;

/// <summary>The value formats of the live API, quirks included.</summary>
internal static class JsonFormat
{
    /// <summary><c>2024-03-01T16:41:02+0300</c>: create/last-change dates carry an offset without a colon.</summary>
    public static string OffsetNoColon(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{value.DateTime:yyyy-MM-dd'T'HH:mm:ss}{sign}{offset.Hours:00}{offset.Minutes:00}");
    }

    /// <summary><c>2024-03-01T15:00:00+03:00</c>: the record <c>datetime</c>.</summary>
    public static string OffsetColon(DateTimeOffset value) =>
        value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary><c>2024-03-01 15:00:00</c>: naive local time.</summary>
    public static string Naive(DateTime value) =>
        value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Naive(DateTimeOffset value) => Naive(value.DateTime);

    public static string Day(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary><c>"1000.00"</c>: money as a string, as older endpoints serve it.</summary>
    public static string MoneyString(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string IdString(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>PHP serialises an empty object as <c>[]</c>.</summary>
    public static void WriteEmptyObject(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartArray(name);
        writer.WriteEndArray();
    }

    public static void WriteEmptyArray(Utf8JsonWriter writer, string name) => WriteEmptyObject(writer, name);

    public static void WriteIds(Utf8JsonWriter writer, string name, IEnumerable<long> ids)
    {
        writer.WriteStartArray(name);
        foreach (var id in ids)
        {
            writer.WriteNumberValue(id);
        }

        writer.WriteEndArray();
    }

    /// <summary><c>{"id":…,"title":…}</c>, or <c>[]</c> when there is nothing to refer to.</summary>
    public static void WriteRef(Utf8JsonWriter writer, string name, long? id, string? title, bool idAsString = false)
    {
        if (id is not { } value || value == 0)
        {
            WriteEmptyObject(writer, name);
            return;
        }

        writer.WriteStartObject(name);
        if (idAsString)
        {
            writer.WriteString("id", IdString(value));
        }
        else
        {
            writer.WriteNumber("id", value);
        }

        writer.WriteString("title", title);
        writer.WriteEndObject();
    }

    public static void WriteBit(Utf8JsonWriter writer, string name, bool value) => writer.WriteNumber(name, value ? 1 : 0);
}
