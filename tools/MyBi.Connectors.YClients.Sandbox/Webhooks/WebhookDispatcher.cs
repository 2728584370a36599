using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using MyBi.Connectors.YClients.Sandbox.Data;

namespace MyBi.Connectors.YClients.Sandbox.Webhooks;

/// <summary>
/// Posts webhooks for changes of the data: to the URLs of the company's <c>/hooks_settings</c> when sending is on and
/// the kind of event is turned on, and to <see cref="SandboxOptions.WebhookUrls"/> always. Bounded: the queue holds at
/// most <see cref="SandboxOptions.WebhookQueueLimit"/> deliveries (more are dropped and counted), each attempt has a
/// timeout, failures are retried with a doubling delay, and a change never waits for a delivery.
/// </summary>
internal sealed class WebhookDispatcher : IAsyncDisposable
{
    private const int Senders = 8;

    private readonly SandboxOptions _options;
    private readonly SandboxData _data;
    private readonly SandboxStats _stats;
    private readonly Channel<Delivery> _queue;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _senders;

    public WebhookDispatcher(SandboxOptions options, SandboxData data, SandboxStats stats)
    {
        _options = options;
        _data = data;
        _stats = stats;
        _queue = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(options.WebhookQueueLimit)
        {
            // Wait, but only TryWrite is used: a full queue answers false at once, so the drop is seen and counted.
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
        });
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false })
        {
            Timeout = options.WebhookTimeout,
        };
        _senders = [.. Enumerable.Range(0, Senders).Select(_ => Task.Run(SendLoopAsync))];
    }

    /// <summary>Queues the webhook of a change for every target; returns at once.</summary>
    public void Enqueue(SandboxChange change)
    {
        var targets = Targets(change);
        if (targets.Count == 0)
        {
            return;
        }

        if (WebhookBody.Write(change) is not { } body)
        {
            return;
        }

        foreach (var url in targets)
        {
            _stats.WebhookQueued();
            if (!_queue.Writer.TryWrite(new Delivery(url, body)))
            {
                _stats.WebhookDropped();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_senders).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: what is still queued is not sent.
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private List<string> Targets(SandboxChange change)
    {
        var targets = new List<string>(_options.WebhookUrls);
        var settings = _data.Hooks(change.Set.Company.Id);
        if (settings.Active == 1 && settings.Flags.GetValueOrDefault(change.Resource) == 1)
        {
            targets.AddRange(settings.Urls.Where(u => !targets.Contains(u, StringComparer.Ordinal)));
        }

        return targets;
    }

    private async Task SendLoopAsync()
    {
        var token = _stop.Token;
        while (await _queue.Reader.WaitToReadAsync(token).ConfigureAwait(false))
        {
            while (_queue.Reader.TryRead(out var delivery))
            {
                if (await DeliverAsync(delivery, token).ConfigureAwait(false))
                {
                    _stats.WebhookSent();
                }
                else
                {
                    _stats.WebhookFailed();
                }
            }
        }
    }

    private async Task<bool> DeliverAsync(Delivery delivery, CancellationToken token)
    {
        var delay = _options.WebhookRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            if (await TryOnceAsync(delivery, token).ConfigureAwait(false) is { } final)
            {
                return final;
            }

            if (attempt >= _options.WebhookAttempts)
            {
                return false;
            }

            await Task.Delay(delay, token).ConfigureAwait(false);
            delay *= 2;
        }
    }

    /// <summary>True when delivered, false when retrying is useless, null when another attempt may succeed.</summary>
    private async Task<bool?> TryOnceAsync(Delivery delivery, CancellationToken token)
    {
        using var content = new ByteArrayContent(delivery.Body);
        // YCLIENTS names the media type alone and signs nothing (API-NOTES §4).
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await _http.PostAsync(delivery.Url, content, token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            // A receiver that refuses the body (a 4xx other than 408 and 429) would refuse it again.
            var status = (int)response.StatusCode;
            return status is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
                ? false
                : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!token.IsCancellationRequested)
        {
            // The attempt's own timeout.
            return null;
        }
    }

    private sealed record Delivery(string Url, byte[] Body);
}
