using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MyBi.Connectors.YClients.Http;

/// <summary>One call of the API, with what it is for (used in error messages).</summary>
internal sealed record ApiRequest
{
    /// <summary>The stream the request is counted for (observer and errors).</summary>
    public required string Stream { get; init; }

    /// <summary>Path below the base URL, e.g. <c>/records/100001</c>.</summary>
    public required string Path { get; init; }

    /// <summary>What the request does, for messages: "read records", "read the staff list".</summary>
    public required string Purpose { get; init; }

    public long? CompanyId { get; init; }

    public HttpMethod Method { get; init; } = HttpMethod.Get;

    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];

    public JsonObject? Body { get; init; }

    /// <summary>Whether a 404 "Не найдено" means an empty list rather than an error.</summary>
    public bool IsList { get; init; } = true;

    /// <summary>Whether this is the login exchange itself.</summary>
    public bool IsAuth { get; init; }

    /// <summary>The request with one query parameter added or replaced.</summary>
    public ApiRequest With(string name, object value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        var query = Query.Where(p => p.Key != name).Append(new KeyValuePair<string, string>(name, text)).ToArray();
        return this with { Query = query };
    }

    /// <summary>Path and query, relative to the base URL (no leading slash).</summary>
    public string RelativeUri()
    {
        var builder = new StringBuilder(Path.TrimStart('/'));
        for (var i = 0; i < Query.Count; i++)
        {
            builder.Append(i == 0 ? '?' : '&')
                .Append(Uri.EscapeDataString(Query[i].Key))
                .Append('=')
                .Append(Uri.EscapeDataString(Query[i].Value));
        }

        return builder.ToString();
    }
}
