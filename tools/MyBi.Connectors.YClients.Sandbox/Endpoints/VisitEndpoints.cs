using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary><c>GET /visits/{visit_id}</c>: the visit with its (not deleted) records.</summary>
internal sealed class VisitEndpoints(SandboxRuntime runtime)
{
    public void Map(IEndpointRouteBuilder routes) =>
        EndpointMapper.Get(routes, "/visits/{visit_id}", AccessLevel.User, Permission.Records, GetAsync);

    private Task GetAsync(HttpContext context)
    {
        var visitId = SandboxRuntime.RouteId(context, "visit_id");
        var set = runtime.Data.Snapshots().FirstOrDefault(s => s.VisitsById.ContainsKey(visitId)) ?? throw new NotFoundException();
        SandboxRuntime.Demand(context, set.Company, Permission.Records);
        var visit = set.VisitsById[visitId];
        return Envelope.ObjectAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("attendance", visit.Attendance);
            w.WriteString("datetime", JsonFormat.OffsetColon(visit.Datetime));
            w.WriteString("comment", visit.Comment);
            w.WriteStartArray("records");
            foreach (var recordId in visit.RecordIds)
            {
                if (set.RecordsById.TryGetValue(recordId, out var record) && !record.Deleted)
                {
                    RecordJson.Write(w, record, set, includeConsumables: false, includeFinance: false);
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
