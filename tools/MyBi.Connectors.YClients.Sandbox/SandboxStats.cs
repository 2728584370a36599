using System.Collections.Concurrent;

namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>Thread-safe request counters of a running sandbox.</summary>
public sealed class SandboxStats
{
    /// <summary>Key used for requests that matched no route.</summary>
    public const string UnmatchedTemplate = "(unmatched)";

    private readonly ConcurrentDictionary<string, long> _byTemplate = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _changedAfter = new();
    private readonly ConcurrentQueue<string> _answered = new();
    private long _total;
    private long _rateLimited;
    private long _faults;
    private long _slow;
    private long _unauthorized;
    private long _forbidden;
    private long _webhooksQueued;
    private long _webhooksSent;
    private long _webhooksFailed;
    private long _webhooksDropped;

    /// <summary>Every request received, including those answered 401, 403, 429 or 500.</summary>
    public long TotalRequests => Interlocked.Read(ref _total);

    /// <summary>Responses with HTTP 429.</summary>
    public long RateLimitedRequests => Interlocked.Read(ref _rateLimited);

    /// <summary>Injected HTTP 500 responses.</summary>
    public long FaultsSent => Interlocked.Read(ref _faults);

    /// <summary>Requests that were delayed by the slow-response injection.</summary>
    public long SlowResponses => Interlocked.Read(ref _slow);

    /// <summary>Responses with HTTP 401.</summary>
    public long UnauthorizedResponses => Interlocked.Read(ref _unauthorized);

    /// <summary>Responses with HTTP 403.</summary>
    public long ForbiddenResponses => Interlocked.Read(ref _forbidden);

    /// <summary>Webhook deliveries queued (one per change and target URL).</summary>
    public long WebhooksQueued => Interlocked.Read(ref _webhooksQueued);

    /// <summary>Webhook deliveries answered with a 2xx.</summary>
    public long WebhooksSent => Interlocked.Read(ref _webhooksSent);

    /// <summary>Webhook deliveries given up after their attempts, or refused by the receiver.</summary>
    public long WebhooksFailed => Interlocked.Read(ref _webhooksFailed);

    /// <summary>Webhook deliveries not queued because the queue was full.</summary>
    public long WebhooksDropped => Interlocked.Read(ref _webhooksDropped);

    /// <summary>Webhook deliveries queued and not yet sent, failed or dropped.</summary>
    public long WebhooksPending => WebhooksQueued - WebhooksSent - WebhooksFailed - WebhooksDropped;

    internal void WebhookQueued() => Interlocked.Increment(ref _webhooksQueued);

    internal void WebhookSent() => Interlocked.Increment(ref _webhooksSent);

    internal void WebhookFailed() => Interlocked.Increment(ref _webhooksFailed);

    internal void WebhookDropped() => Interlocked.Increment(ref _webhooksDropped);

    /// <summary>Snapshot of request counts per route template relative to the base URL, e.g. <c>/records/{company_id}</c>.</summary>
    public IReadOnlyDictionary<string, long> RequestsByTemplate =>
        new Dictionary<string, long>(_byTemplate, StringComparer.Ordinal);

    /// <summary>Requests received for one route template, e.g. <c>/transactions/{company_id}</c>; 0 if none.</summary>
    public long RequestsFor(string pathTemplate) =>
        _byTemplate.TryGetValue(pathTemplate, out var count) ? count : 0;

    /// <summary>The <c>changed_after</c> values received, exactly as sent, oldest first.</summary>
    public IReadOnlyList<string> ChangedAfterValues => _changedAfter.ToArray();

    /// <summary>
    /// Path and query (from <c>/api/v1</c> on) of every request answered with 200, oldest first; kept only when
    /// <see cref="SandboxOptions.RecordAnsweredTargets"/> is on.
    /// </summary>
    public IReadOnlyList<string> AnsweredTargets => _answered.ToArray();

    /// <summary>Sets every counter back to zero.</summary>
    public void Reset()
    {
        _byTemplate.Clear();
        _changedAfter.Clear();
        _answered.Clear();
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _rateLimited, 0);
        Interlocked.Exchange(ref _faults, 0);
        Interlocked.Exchange(ref _slow, 0);
        Interlocked.Exchange(ref _unauthorized, 0);
        Interlocked.Exchange(ref _forbidden, 0);
    }

    internal void RecordChangedAfter(string value) => _changedAfter.Enqueue(value);

    internal void CountRequest(string template)
    {
        Interlocked.Increment(ref _total);
        _byTemplate.AddOrUpdate(template, 1, static (_, count) => count + 1);
    }

    internal void RecordAnswered(string target) => _answered.Enqueue(target);

    internal void CountRateLimited() => Interlocked.Increment(ref _rateLimited);

    internal void CountFault() => Interlocked.Increment(ref _faults);

    internal void CountSlow() => Interlocked.Increment(ref _slow);

    internal void CountStatus(int statusCode)
    {
        if (statusCode == 401)
        {
            Interlocked.Increment(ref _unauthorized);
        }
        else if (statusCode == 403)
        {
            Interlocked.Increment(ref _forbidden);
        }
    }
}
