using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary>The legacy list <c>GET /clients/{company_id}</c>, the search <c>POST /company/{company_id}/clients/search</c>
/// and <c>GET /client/{company_id}/{id}</c>.</summary>
internal sealed class ClientEndpoints(SandboxRuntime runtime)
{
    public const int DefaultPageSize = 20;

    public void Map(IEndpointRouteBuilder routes)
    {
        EndpointMapper.Get(routes, "/clients/{company_id}", AccessLevel.User, Permission.Clients, ListAsync);
        EndpointMapper.Post(routes, "/company/{company_id}/clients/search", AccessLevel.User, Permission.Clients, SearchAsync);
        EndpointMapper.Get(routes, "/client/{company_id}/{id}", AccessLevel.User, Permission.Clients, GetAsync);
    }

    private Task ListAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var query = new RequestQuery(context);
        var page = query.PositiveInt("page", 1);
        var count = Math.Min(query.PositiveInt("count", DefaultPageSize), runtime.Options.MaxPageSize);
        var changedAfter = query.Instant("changed_after", set.Company.UtcOffset);
        var changedBefore = query.Instant("changed_before", set.Company.UtcOffset);
        var fullName = query.Text("fullname");
        var phone = query.Text("phone")?.TrimStart('+');
        var email = query.Text("email");
        var id = query.Id("id");
        var matches = set.Clients.Where(c =>
            (changedAfter is null || c.LastChangeDate >= changedAfter)
            && (changedBefore is null || c.LastChangeDate <= changedBefore)
            && (fullName is null || c.DisplayName.Contains(fullName, StringComparison.OrdinalIgnoreCase))
            && (phone is null || c.Phone.Contains(phone, StringComparison.Ordinal))
            && (email is null || c.Email.Contains(email, StringComparison.OrdinalIgnoreCase))
            && (id is null || c.Id == id)).OrderBy(c => c.Id).ToList();
        return Envelope.ListAsync(context, Paging.Slice(matches, page, count),
            (w, c) => ClientJson.WriteLegacy(w, c, set), Envelope.PageMeta(page, matches.Count));
    }

    private async Task SearchAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var search = await ClientSearch.ReadAsync(context).ConfigureAwait(false);
        var matches = search.Apply(set.Clients);
        await Envelope.ListAsync(context, Paging.Slice(matches, search.Page, search.PageSize),
            (w, c) => ClientJson.WriteSearchRow(w, c, search.Fields), Envelope.TotalCountMeta(matches.Count)).ConfigureAwait(false);
    }

    private Task GetAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var client = set.ClientsById.GetValueOrDefault(SandboxRuntime.RouteId(context, "id")) ?? throw new NotFoundException();
        return Envelope.ObjectAsync(context, w => ClientJson.WriteSingle(w, client, set));
    }
}
