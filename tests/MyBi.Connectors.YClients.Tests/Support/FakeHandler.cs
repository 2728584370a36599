using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace MyBi.Connectors.YClients.Tests.Support;

/// <summary>An in-process HTTP handler for unit tests of the client: answers from a function, records requests.</summary>
internal sealed class FakeHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, int, HttpResponseMessage> _answer;
    private int _count;

    public FakeHandler(Func<HttpRequestMessage, int, HttpResponseMessage> answer) => _answer = answer;

    public ConcurrentQueue<(string Uri, string? Authorization, string? Accept, string? Body)> Requests { get; } = new();

    public int Count => Volatile.Read(ref _count);

    public static HttpResponseMessage Json(HttpStatusCode status, string body, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue((
            request.RequestUri!.PathAndQuery,
            request.Headers.TryGetValues("Authorization", out var auth) ? string.Join(",", auth) : null,
            request.Headers.Accept.ToString(),
            body));
        var n = Interlocked.Increment(ref _count);
        return _answer(request, n);
    }
}
