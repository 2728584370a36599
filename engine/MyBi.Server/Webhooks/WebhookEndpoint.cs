using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Abstractions.Webhooks;

namespace MyBi.Server.Webhooks;

/// <summary>
/// <c>POST /hooks/{pipeline}/{secret}</c>: a wrong secret or an unknown pipeline is 404 with no detail; a body over
/// <see cref="MaxBodyBytes"/> is 413; a body that is not JSON or no event is 400 and kept in the quarantine; an event
/// is answered 200 only once it is committed, 503 when it could not be.
/// </summary>
internal sealed class WebhookEndpoint : IServerFeature
{
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>How much of a rejected body the quarantine keeps.</summary>
    public const int QuarantinedBodyChars = 16 * 1024;

    private static readonly UTF8Encoding s_strictUtf8 = new(false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, WebhookPipeline> _pipelines;
    private readonly TimeProvider _timeProvider;

    public WebhookEndpoint(IEnumerable<WebhookPipeline> pipelines, TimeProvider timeProvider)
    {
        _pipelines = pipelines.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _timeProvider = timeProvider;
    }

    public IReadOnlyCollection<WebhookPipeline> Pipelines => _pipelines.Values;

    public void Map(WebApplication app) => app.MapPost("/hooks/{pipeline}/{secret}", HandleAsync);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var pipeline in _pipelines.Values)
        {
            pipeline.Start();
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        foreach (var pipeline in _pipelines.Values)
        {
            await pipeline.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpContext context, string pipeline, string secret)
    {
        if (!_pipelines.TryGetValue(pipeline, out var receiver) | !(receiver?.SecretMatches(secret) ?? false))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var bytes = await ReadCappedAsync(context.Request.Body, context.Request.ContentLength, context.RequestAborted).ConfigureAwait(false);
        if (bytes is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var at = _timeProvider.GetUtcNow();
        string text;
        try
        {
            text = s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            var shown = Encoding.UTF8.GetString(bytes);
            await RejectAsync(context, receiver!, WebhookPipeline.Hash(shown), at, shown, "the body is not UTF-8 text").ConfigureAwait(false);
            return;
        }

        // Valid UTF-8 is the same bytes as the text it decodes to, so the bytes are hashed as they came.
        var id = WebhookPipeline.Hash(bytes);
        WebhookEvent webhookEvent;
        try
        {
            using var document = ReceivedEvent.Parse(bytes, text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                await RejectAsync(context, receiver!, id, at, text, "the body is not a JSON object").ConfigureAwait(false);
                return;
            }

            webhookEvent = receiver!.Read(JsonObject.Create(document.RootElement)!);
        }
        catch (JsonException ex)
        {
            await RejectAsync(context, receiver!, id, at, text, $"the body is not JSON: {ex.Message}").ConfigureAwait(false);
            return;
        }
        catch (WebhookFormatException ex)
        {
            await RejectAsync(context, receiver!, id, at, text, $"not an event: {ex.Message}").ConfigureAwait(false);
            return;
        }

        var committed = await receiver.CommitAsync(new ReceivedEvent(id, at, webhookEvent, text), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = committed ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
    }

    private static async Task RejectAsync(HttpContext context, WebhookPipeline receiver, string id, DateTimeOffset at, string text, string reason)
    {
        receiver.Reject(id, at, text.Length > QuarantinedBodyChars ? text[..QuarantinedBodyChars] : text, reason);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(reason, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The body, or null when it is longer than <see cref="MaxBodyBytes"/>. A body of a declared length (the usual
    /// case; checked against the cap before) is read straight into an array of that size; a chunked body, which has
    /// no length up front, is gathered through a pooled buffer.
    /// </summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream body, long? length, CancellationToken cancellationToken)
    {
        if (length is { } declared)
        {
            var exact = new byte[declared];
            await body.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }
}
