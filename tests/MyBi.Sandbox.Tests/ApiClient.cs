using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

/// <summary>Plain HTTP calls to a sandbox, returning status, headers and the parsed body.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(SandboxServer server)
    {
        _http = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") };
    }

    public Task<ApiResponse> GetAsync(string path, string? authorization = null, string accept = "application/vnd.yclients.v2+json") =>
        SendAsync(HttpMethod.Get, path, null, authorization ?? SandboxCredentials.UserHeader(), accept);

    public Task<ApiResponse> PostAsync(string path, string json, string? authorization = null) =>
        SendAsync(HttpMethod.Post, path, json, authorization ?? SandboxCredentials.UserHeader(), "application/vnd.yclients.v2+json");

    public Task<ApiResponse> SendAsync(HttpMethod method, string path, string? json, string? authorization, string accept, CancellationToken cancellationToken = default) =>
        SendRawAsync(method, path, json, authorization, accept, cancellationToken);

    public async Task<ApiResponse> SendRawAsync(HttpMethod method, string path, string? json, string? authorization, string accept, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null;
        return new ApiResponse(response.StatusCode, text, JsonDocument.Parse(text).RootElement.Clone(), retryAfter)
        {
            ContentType = response.Content.Headers.ContentType?.ToString(),
        };
    }

    public void Dispose() => _http.Dispose();
}

internal sealed record ApiResponse(HttpStatusCode Status, string Text, JsonElement Root, string? RetryAfter)
{
    public JsonElement Data => Root.GetProperty("data");
    public JsonElement Meta => Root.GetProperty("meta");
    public bool Success => Root.GetProperty("success").GetBoolean();
    public string Message => Meta.GetProperty("message").GetString()!;

    /// <summary>The Content-Type header exactly as sent.</summary>
    public string? ContentType { get; init; }
}
