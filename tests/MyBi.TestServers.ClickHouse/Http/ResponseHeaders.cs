using System.Globalization;
using Microsoft.AspNetCore.Http;
using MyBi.TestServers.ClickHouse.Chdb;

namespace MyBi.TestServers.ClickHouse.Http;

/// <summary>The X-ClickHouse-* headers of a response, as a ClickHouse server sends them.</summary>
internal static class ResponseHeaders
{
    public static void Write(HttpResponse response, ServerIdentity identity, RequestOptions options, string? format, QueryStatistics statistics, ulong resultRows, ulong resultBytes)
    {
        var headers = response.Headers;
        headers["X-ClickHouse-Server-Display-Name"] = identity.DisplayName;
        headers["X-ClickHouse-Query-Id"] = options.QueryId;
        headers["X-ClickHouse-Timezone"] = identity.Timezone;
        if (format is not null)
        {
            headers["X-ClickHouse-Format"] = format;
            headers.ContentType = ContentTypeOf(format);
        }
        else
        {
            headers.ContentType = "text/plain; charset=UTF-8";
        }

        headers["X-ClickHouse-Summary"] = Summary(statistics, resultRows, resultBytes);
    }

    public static string Summary(QueryStatistics s, ulong resultRows, ulong resultBytes)
    {
        static string Q(ulong value) => "\"" + value.ToString(CultureInfo.InvariantCulture) + "\"";
        var elapsedNs = (ulong)(s.ElapsedSeconds * 1e9);
        return "{\"read_rows\":" + Q(s.ReadRows) + ",\"read_bytes\":" + Q(s.ReadBytes) + ",\"written_rows\":" + Q(s.WrittenRows)
            + ",\"written_bytes\":" + Q(s.WrittenBytes) + ",\"total_rows_to_read\":" + Q(s.ReadRows) + ",\"result_rows\":" + Q(resultRows)
            + ",\"result_bytes\":" + Q(resultBytes) + ",\"elapsed_ns\":" + Q(elapsedNs) + "}";
    }

    private static string ContentTypeOf(string format)
    {
        if (format.StartsWith("JSON", StringComparison.OrdinalIgnoreCase) && !format.Contains("EachRow", StringComparison.OrdinalIgnoreCase))
        {
            return "application/json; charset=UTF-8";
        }

        if (format.StartsWith("TabSeparated", StringComparison.OrdinalIgnoreCase) || format.StartsWith("TSV", StringComparison.OrdinalIgnoreCase))
        {
            return "text/tab-separated-values; charset=UTF-8";
        }

        if (format.StartsWith("CSV", StringComparison.OrdinalIgnoreCase))
        {
            return "text/csv; charset=UTF-8; header=absent";
        }

        return format.StartsWith("RowBinary", StringComparison.OrdinalIgnoreCase)
            || format.StartsWith("Native", StringComparison.OrdinalIgnoreCase)
            || format.Contains("Arrow", StringComparison.OrdinalIgnoreCase)
            || format.Contains("Parquet", StringComparison.OrdinalIgnoreCase)
            ? "application/octet-stream"
            : "text/plain; charset=UTF-8";
    }
}
