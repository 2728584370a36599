using System.Globalization;
using Microsoft.AspNetCore.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Middleware;

/// <summary>5 requests per second and 200 per minute per client IP (configurable), answered 429 with Retry-After.</summary>
internal sealed class RateLimitMiddleware(SandboxOptions options, SlidingWindowLimiter limiter, SandboxStats stats)
{
    public const string Message = "Too Many Requests";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (options.RateLimitEnabled)
        {
            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if (!limiter.TryAdmit(client, out var retryAfter))
            {
                stats.CountRateLimited();
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Envelope.ErrorAsync(context, 429, Message).ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }
}
