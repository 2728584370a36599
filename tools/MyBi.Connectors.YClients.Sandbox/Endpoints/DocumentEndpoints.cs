using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Connectors.YClients.Sandbox.Data;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary>Storage-operation documents and their goods and finance transactions.</summary>
internal sealed class DocumentEndpoints(SandboxRuntime runtime)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        // The literal segments outrank {company_id} in routing, so these do not collide with the document route.
        EndpointMapper.Get(routes, "/storage_operations/documents/finance_transactions/{document_id}", AccessLevel.User, Permission.Finance, FinanceAsync);
        EndpointMapper.Get(routes, "/storage_operations/documents/goods_transactions/{document_id}", AccessLevel.User, Permission.Storage, GoodsAsync);
        EndpointMapper.Get(routes, "/storage_operations/documents/{company_id}/{document_id}", AccessLevel.User, Permission.Storage, GetAsync);
    }

    private Task GetAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var document = set.DocumentsById.GetValueOrDefault(SandboxRuntime.RouteId(context, "document_id")) ?? throw new NotFoundException();
        var storage = set.StoragesById.GetValueOrDefault(document.StorageId);
        return Envelope.ObjectAsync(context, w => DocumentJson.Write(w, document, set.Company, storage));
    }

    private Task FinanceAsync(HttpContext context)
    {
        var (set, document) = Find(context, Permission.Finance);
        var transactions = set.FinanceByDocument[document.Id].Where(t => !t.Deleted).ToList();
        return Envelope.ListAsync(context, transactions, (w, t) => FinanceJson.WriteDetailed(w, t, set, fullAccount: true), null);
    }

    private Task GoodsAsync(HttpContext context)
    {
        var (_, document) = Find(context, Permission.Storage);
        var set = runtime.Company(document.CompanyId);
        var transactions = set.GoodsByDocument[document.Id].ToList();
        return Envelope.ListAsync(context, transactions, GoodsTransactionJson.WriteFlat, Envelope.CountMeta(transactions.Count));
    }

    private (CompanyDataSet Set, SandboxDocument Document) Find(HttpContext context, Permission permission)
    {
        var documentId = SandboxRuntime.RouteId(context, "document_id");
        var set = runtime.Data.Snapshots().FirstOrDefault(s => s.DocumentsById.ContainsKey(documentId)) ?? throw new NotFoundException();
        SandboxRuntime.Demand(context, set.Company, permission);
        return (set, set.DocumentsById[documentId]);
    }
}
