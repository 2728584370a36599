using Microsoft.AspNetCore.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Middleware;

/// <summary>Slows or fails a deterministic share of the requests that passed the rate limit and authorization.</summary>
internal sealed class FaultMiddleware(SandboxOptions options, FaultInjector injector, SandboxStats stats)
{
    public const string Message = "Внутренняя ошибка сервера. Повторите запрос позже.";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<Http.AccessRequirement>() is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var (slow, fault) = injector.Next();
        if (slow)
        {
            try
            {
                // The timer exists before the request is counted as slow, so a test clock advanced after seeing
                // the count always releases it.
                var delay = Task.Delay(options.SlowDelay, options.TimeProvider, context.RequestAborted);
                stats.CountSlow();
                await delay.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client gave up; there is nobody to answer.
                return;
            }
        }

        if (fault)
        {
            stats.CountFault();
            await Envelope.ErrorAsync(context, 500, Message).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }
}
