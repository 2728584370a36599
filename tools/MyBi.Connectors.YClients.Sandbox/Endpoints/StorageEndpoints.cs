using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary><c>GET /storages/transactions/{company_id}</c>, <c>GET /storages/{company_id}</c> and <c>GET /goods/{company_id}</c>.
/// The paginated lists carry <c>meta: {count}</c> with the number of matching rows.</summary>
internal sealed class StorageEndpoints(SandboxRuntime runtime)
{
    public const int TransactionsPageSize = 20;
    public const int GoodsPageSize = 25;

    public void Map(IEndpointRouteBuilder routes)
    {
        EndpointMapper.Get(routes, "/storages/transactions/{company_id}", AccessLevel.User, Permission.Storage, TransactionsAsync);
        EndpointMapper.Get(routes, "/storages/{company_id}", AccessLevel.User, Permission.Storage, StoragesAsync);
        EndpointMapper.Get(routes, "/goods/{company_id}", AccessLevel.User, Permission.Storage, GoodsAsync);
        EndpointMapper.Get(routes, "/goods/{company_id}/{good_id}", AccessLevel.User, Permission.Storage, GoodAsync);
    }

    private Task TransactionsAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var offset = set.Company.UtcOffset;
        var query = new RequestQuery(context);
        var page = query.PositiveInt("page", 1);
        var count = Math.Min(query.PositiveInt("count", TransactionsPageSize), runtime.Options.MaxPageSize);
        var startDate = query.Date("start_date");
        var endDate = query.Date("end_date");
        var changedAfter = query.Instant("changed_after", offset);
        var changedBefore = query.Instant("changed_before", offset);
        var documentId = query.Id("document_id");
        var matches = set.GoodsTransactions.Where(t =>
            (startDate is null || DateOnly.FromDateTime(t.CreateDate.DateTime) >= startDate)
            && (endDate is null || DateOnly.FromDateTime(t.CreateDate.DateTime) <= endDate)
            && (changedAfter is null || t.LastChangeDate >= changedAfter)
            && (changedBefore is null || t.LastChangeDate <= changedBefore)
            && (documentId is null || t.DocumentId == documentId)).ToList();
        var ordered = runtime.Ties.Apply(matches, t => t.CreateDate);
        return Envelope.ListAsync(context, Paging.Slice(ordered, page, count),
            (w, t) => GoodsTransactionJson.WriteListItem(w, t, set), Envelope.CountMeta(matches.Count));
    }

    private Task StoragesAsync(HttpContext context) =>
        Envelope.ListAsync(context, runtime.RouteCompany(context).Storages, StockJson.WriteStorage, null);

    private Task GoodsAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var query = new RequestQuery(context);
        var page = query.PositiveInt("page", 1);
        var count = Math.Min(query.PositiveInt("count", GoodsPageSize), runtime.Options.MaxPageSize);
        var term = query.Text("term");
        var changedAfter = query.Instant("changed_after", set.Company.UtcOffset);
        var changedBefore = query.Instant("changed_before", set.Company.UtcOffset);
        var matches = set.Goods.Where(g =>
            (term is null || g.Title.Contains(term, StringComparison.OrdinalIgnoreCase) || g.Barcode == term || g.Article == term)
            && (changedAfter is null || g.LastChangeDate >= changedAfter)
            && (changedBefore is null || g.LastChangeDate <= changedBefore)).ToList();
        return Envelope.ListAsync(context, Paging.Slice(matches, page, count), StockJson.WriteGood, Envelope.CountMeta(matches.Count));
    }

    private Task GoodAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var good = set.GoodsById.GetValueOrDefault(SandboxRuntime.RouteId(context, "good_id")) ?? throw new NotFoundException();
        return Envelope.ObjectAsync(context, w => StockJson.WriteGood(w, good));
    }
}
