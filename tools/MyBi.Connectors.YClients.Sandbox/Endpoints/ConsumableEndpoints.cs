using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary><c>GET /technological_cards/record_consumables/{company_id}/{record_id}/</c>.</summary>
internal sealed class ConsumableEndpoints(SandboxRuntime runtime)
{
    public void Map(IEndpointRouteBuilder routes) =>
        EndpointMapper.Get(routes, "/technological_cards/record_consumables/{company_id}/{record_id}/", AccessLevel.User, Permission.Records, GetAsync);

    private Task GetAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var record = set.RecordsById.GetValueOrDefault(SandboxRuntime.RouteId(context, "record_id")) ?? throw new NotFoundException();
        var services = record.Services
            .Select(line => set.ServicesById[line.ServiceId])
            .Where(s => s.TechnologicalCardId != 0)
            .DistinctBy(s => s.Id)
            .ToList();
        return Envelope.ListAsync(context, services, (w, s) => ConsumablesJson.WriteService(w, record, s, set), null);
    }
}
