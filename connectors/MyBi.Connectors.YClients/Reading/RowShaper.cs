using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>Prepares an API object as a row: stamps the company and turns its times into timestamps, naive ones in the company's zone.</summary>
internal static class RowShaper
{
    public static JsonObject Shape(JsonObject row, StreamDefinition stream, CompanyInfo company) => Shape(row, stream.DateTimePaths, company);

    /// <summary>Stamps the company and turns the times found at <paramref name="dateTimePaths"/> into timestamps, naive ones in its zone.</summary>
    public static JsonObject Shape(JsonObject row, IReadOnlyList<string[]> dateTimePaths, CompanyInfo company)
    {
        row["company_id"] = company.Id;
        foreach (var path in dateTimePaths)
        {
            var parent = row;
            for (var i = 0; i < path.Length - 1 && parent is not null; i++)
            {
                parent = parent[path[i]] as JsonObject;
            }

            var leaf = path[^1];
            if (parent?[leaf] is JsonValue value && Lenient.Text(value) is { } text)
            {
                parent[leaf] = LocalToOffset(text, company.Clock);
            }
        }

        return row;
    }

    /// <summary>
    /// Fills the stream's local time columns from the timestamps of the row: the company's wall clock at that
    /// instant, as a zone-less reading (the engine stores it without a zone, so every reader sees the same clock
    /// whatever its own zone), and the local day. A missing timestamp leaves them null.
    /// </summary>
    public static JsonObject AddLocalTimes(JsonObject row, StreamDefinition stream, CompanyClock clock)
    {
        foreach (var local in stream.LocalTimes)
        {
            if (Lenient.Timestamp(row[local.Source]) is not { } instant)
            {
                row[local.Column] = null;
                continue;
            }

            var wall = clock.Local(instant).DateTime;
            row[local.Column] = local.IsDay
                ? JsonValue.Create(DateOnly.FromDateTime(wall).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                : JsonValue.Create(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified));
        }

        return row;
    }

    /// <summary>
    /// A time text as a <see cref="DateTimeOffset"/> value: a naive local time in the company's zone, a time with
    /// an offset as given. The value goes to the engine as it is, never formatted to text and parsed again; texts
    /// that are no time at all ("", "0000-00-00 00:00:00") become null.
    /// </summary>
    public static JsonValue? LocalToOffset(string text, CompanyClock clock) =>
        Lenient.TryTimestamp(text, out var withOffset) ? JsonValue.Create(withOffset)
        : Lenient.TryNaive(text, out var local) ? JsonValue.Create(clock.ToOffset(local))
        : null;
}
