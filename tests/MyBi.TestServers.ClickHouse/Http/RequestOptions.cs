using Microsoft.AspNetCore.Http;

namespace MyBi.TestServers.ClickHouse.Http;

/// <summary>What one HTTP request asks for, split the way the ClickHouse HTTP interface reads its URL parameters.</summary>
internal sealed class RequestOptions
{
    // URL parameters the HTTP interface itself consumes; everything else is a setting.
    private static readonly HashSet<string> s_httpParameters = new(StringComparer.Ordinal)
    {
        "query", "database", "default_format", "query_id", "user", "password", "quota_key", "session_id",
        "session_timeout", "session_check", "compress", "decompress", "buffer_size", "wait_end_of_query", "role",
        "stacktrace", "client_protocol_version",
    };

    public string Query { get; private init; } = "";

    public string? Database { get; private init; }

    public string? DefaultFormat { get; private init; }

    public string QueryId { get; private init; } = "";

    public bool CompressResponse { get; private init; }

    public bool NativeCompressedRequest { get; private init; }

    public bool NativeCompressedResponse { get; private init; }

    public List<KeyValuePair<string, string>> Settings { get; } = [];

    public List<KeyValuePair<string, string>> Parameters { get; } = [];

    public static RequestOptions From(HttpRequest request)
    {
        var query = request.Query;
        var options = new RequestOptions
        {
            Query = query["query"].ToString(),
            Database = NullIfEmpty(query["database"].ToString()) ?? NullIfEmpty(request.Headers["X-ClickHouse-Database"].ToString()),
            DefaultFormat = NullIfEmpty(query["default_format"].ToString()) ?? NullIfEmpty(request.Headers["X-ClickHouse-Format"].ToString()),
            QueryId = NullIfEmpty(query["query_id"].ToString()) ?? Guid.NewGuid().ToString(),
            CompressResponse = query["enable_http_compression"].ToString() is "1" or "true",
            NativeCompressedRequest = query["decompress"].ToString() == "1",
            NativeCompressedResponse = query["compress"].ToString() == "1",
        };

        foreach (var (name, values) in query)
        {
            var value = values.ToString();
            if (name.StartsWith("param_", StringComparison.Ordinal))
            {
                options.Parameters.Add(new(name["param_".Length..], value));
            }
            else if (!s_httpParameters.Contains(name))
            {
                options.Settings.Add(new(name, value));
            }
        }

        // readonly is applied last so that it does not forbid the other settings of the same request.
        options.Settings.Sort((a, b) => (a.Key == "readonly").CompareTo(b.Key == "readonly"));
        return options;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
