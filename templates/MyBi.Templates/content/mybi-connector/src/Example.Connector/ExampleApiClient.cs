using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;

namespace Example.Connector;

/// <summary>One page of an API list: its items and the number of the next page, null on the last.</summary>
internal sealed record ApiPage(IReadOnlyList<JsonObject> Items, int? NextPage);

/// <summary>
/// The example API over HTTP: <c>GET {base_url}/{stream}?updated_since=&amp;page=&amp;per_page=</c> with the key as a
/// bearer token, answering <c>{"items": [...], "next_page": 2}</c>. Throttling and server errors are retried; every
/// failure becomes a <see cref="MyBiException"/> whose message never holds the key.
/// </summary>
internal sealed class ExampleApiClient : IDisposable
{
    private const int MaxAttempts = 3;

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retryDelay;
    private readonly Uri _baseUrl;

    public ExampleApiClient(ExampleOptions options, TimeProvider time, TimeSpan retryDelay)
    {
        // A trailing slash makes relative paths land under the base path instead of replacing its last segment.
        _baseUrl = new Uri(options.BaseUrl.AbsoluteUri.TrimEnd('/') + "/");
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        _time = time;
        _retryDelay = retryDelay;
    }

    public async Task<ApiPage> GetPageAsync(string stream, DateTimeOffset? updatedSince, int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = $"{stream}?page={page}&per_page={pageSize}";
        if (updatedSince is { } since)
        {
            query += "&updated_since=" + Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture));
        }

        var uri = new Uri(_baseUrl, query);
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (attempt < MaxAttempts)
            {
                await Task.Delay(Backoff(attempt), _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException ex)
            {
                throw MyBiException.Transient($"example-api: cannot reach {_baseUrl.Authority}: {ex.HttpRequestError}.", ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw MyBiException.Transient($"example-api: {_baseUrl.Authority} did not answer within {_http.Timeout.TotalSeconds:0} s.", ex);
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (response.StatusCode is HttpStatusCode.TooManyRequests || status >= 500)
                {
                    if (attempt < MaxAttempts)
                    {
                        await Task.Delay(Backoff(attempt), _time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    throw MyBiException.Transient($"example-api: {stream} answered HTTP {status} {attempt} times in a row.");
                }

                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    throw MyBiException.Config($"example-api: the API refused the api_key (HTTP {status}); check source.config.api_key.");
                }

                if (response.StatusCode is HttpStatusCode.NotFound)
                {
                    throw MyBiException.Config($"example-api: {_baseUrl.AbsoluteUri}{stream} was not found (HTTP 404); check source.config.base_url.");
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw MyBiException.System($"example-api: {stream} answered HTTP {status}.");
                }

                return await ReadPageAsync(stream, response, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private TimeSpan Backoff(int attempt) => _retryDelay * Math.Pow(2, attempt - 1);

    private static async Task<ApiPage> ReadPageAsync(string stream, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            if (await JsonNode.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false) is not JsonObject root
                || root["items"] is not JsonArray items)
            {
                throw MyBiException.System($"example-api: {stream} answered without an 'items' list.");
            }

            var next = root["next_page"] is JsonValue value && value.TryGetValue<int>(out var page) ? page : (int?)null;
            var rows = items.Select(i => i as JsonObject ?? throw MyBiException.System($"example-api: {stream} sent an item that is not an object.")).ToList();

            // Rows leave the answer: detached from the list, each is a JSON object of its own.
            items.Clear();
            return new ApiPage(rows, next);
        }
        catch (JsonException ex)
        {
            throw MyBiException.System($"example-api: {stream} answered with malformed JSON.", ex);
        }
    }
}
