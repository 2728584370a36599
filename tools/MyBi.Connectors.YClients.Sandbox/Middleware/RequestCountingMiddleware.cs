using Microsoft.AspNetCore.Http;
using MyBi.Connectors.YClients.Sandbox.Http;

namespace MyBi.Connectors.YClients.Sandbox.Middleware;

/// <summary>Counts every request under its route template, and 401/403 answers once they are known; keeps the
/// <c>changed_after</c> values as sent, and on request the targets answered with 200.</summary>
internal sealed class RequestCountingMiddleware(SandboxStats stats, bool recordAnswered)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var template = context.GetEndpoint()?.Metadata.GetMetadata<EndpointTemplate>()?.Template ?? SandboxStats.UnmatchedTemplate;
        stats.CountRequest(template);
        foreach (var value in context.Request.Query["changed_after"])
        {
            if (value is not null)
            {
                stats.RecordChangedAfter(value);
            }
        }

        await next(context).ConfigureAwait(false);
        stats.CountStatus(context.Response.StatusCode);
        if (recordAnswered && context.Response.StatusCode == StatusCodes.Status200OK)
        {
            stats.RecordAnswered(context.Request.Path.Value + context.Request.QueryString.Value);
        }
    }
}
