using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;
using MyBi.Connectors.YClients.Sandbox.Middleware;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary><c>GET /companies</c> (with <c>my=1</c>: the user's companies) and <c>GET /company/{id}</c>.</summary>
internal sealed class CompanyEndpoints(SandboxRuntime runtime)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        EndpointMapper.Get(routes, "/companies", AccessLevel.Partner, Permission.None, ListAsync);
        EndpointMapper.Get(routes, "/company/{company_id}", AccessLevel.Partner, Permission.None, GetAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        var companies = runtime.Data.Companies;
        if (new RequestQuery(context).Flag("my"))
        {
            var user = SandboxRuntime.User(context);
            if (user is null)
            {
                await Envelope.ErrorAsync(context, 401, AuthMiddleware.UserMessage).ConfigureAwait(false);
                return;
            }

            companies = [.. companies.Where(c => user.Can(c, Permission.None))];
        }

        await Envelope.ListAsync(context, companies,
            (w, c) => CompanyJson.Write(w, c, runtime.Company(c.Id).Staff.Count),
            Envelope.TotalCountMeta(companies.Count)).ConfigureAwait(false);
    }

    private Task GetAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        return Envelope.ObjectAsync(context, w => CompanyJson.Write(w, set.Company, set.Staff.Count));
    }
}
