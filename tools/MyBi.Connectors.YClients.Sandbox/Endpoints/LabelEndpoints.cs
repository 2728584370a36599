using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary><c>GET /labels/{company_id}/{entity}</c>: 2 record labels, 1 client labels, 0 common (none).</summary>
internal sealed class LabelEndpoints(SandboxRuntime runtime)
{
    public void Map(IEndpointRouteBuilder routes) =>
        EndpointMapper.Get(routes, "/labels/{company_id}/{entity}", AccessLevel.User, Permission.Catalog, ListAsync);

    private Task ListAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var entity = SandboxRuntime.RouteId(context, "entity");
        var labels = set.Labels.Where(l => l.Entity == entity).ToList();
        return Envelope.ListAsync(context, labels, StockJson.WriteLabel, null);
    }
}
