using Microsoft.AspNetCore.Http;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Middleware;

/// <summary>Checks the partner and user tokens, that the route's company exists, and the user's rights there.</summary>
internal sealed class AuthMiddleware(SandboxRuntime runtime)
{
    public const string MissingMessage = "Необходима авторизация";
    public const string PartnerMessage = "Необходима авторизация: неверный токен партнёра";
    public const string UserMessage = "Необходима авторизация пользователя";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var requirement = context.GetEndpoint()?.Metadata.GetMetadata<AccessRequirement>();
        if (requirement is null || requirement.Level == AccessLevel.None)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var header = AuthorizationHeader.Parse(context.Request.Headers.Authorization.ToString());
        if (header.Malformed || header.PartnerToken is null)
        {
            await Envelope.ErrorAsync(context, 401, MissingMessage).ConfigureAwait(false);
            return;
        }

        if (!string.Equals(header.PartnerToken, SandboxCredentials.PartnerToken, StringComparison.Ordinal))
        {
            await Envelope.ErrorAsync(context, 401, PartnerMessage).ConfigureAwait(false);
            return;
        }

        SandboxUser? user = null;
        if (header.UserToken is not null)
        {
            user = SandboxUser.ByToken(header.UserToken);
            if (user is null)
            {
                await Envelope.ErrorAsync(context, 401, UserMessage).ConfigureAwait(false);
                return;
            }
        }

        if (requirement.Level == AccessLevel.User && user is null)
        {
            await Envelope.ErrorAsync(context, 401, UserMessage).ConfigureAwait(false);
            return;
        }

        SandboxRuntime.SetUser(context, user);
        if (context.Request.RouteValues.ContainsKey("company_id"))
        {
            var company = long.TryParse(context.Request.RouteValues["company_id"]?.ToString(), out var companyId)
                ? runtime.Data.Snapshot(companyId)?.Company
                : null;
            if (company is null)
            {
                await Envelope.ErrorAsync(context, 404, NotFoundException.CompanyMessage).ConfigureAwait(false);
                return;
            }

            if (requirement.Permission != Permission.None && user is not null && !user.Can(company, requirement.Permission))
            {
                await Envelope.ErrorAsync(context, 403, ForbiddenException.Message403).ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }
}
