using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Middleware;

/// <summary>Turns the sandbox's request exceptions into error envelopes.</summary>
internal sealed class ErrorMiddleware
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadRequestException error) when (!context.Response.HasStarted)
        {
            await Envelope.ErrorAsync(context, 400, error.Message,
                new Dictionary<string, string[]> { [error.Field] = [error.Message] }).ConfigureAwait(false);
        }
        catch (JsonException) when (!context.Response.HasStarted)
        {
            await Envelope.ErrorAsync(context, 400, "Тело запроса не является корректным JSON").ConfigureAwait(false);
        }
        catch (NotFoundException error) when (!context.Response.HasStarted)
        {
            await Envelope.ErrorAsync(context, 404, error.Message).ConfigureAwait(false);
        }
        catch (ForbiddenException error) when (!context.Response.HasStarted)
        {
            await Envelope.ErrorAsync(context, 403, error.Message).ConfigureAwait(false);
        }
    }
}
