using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary><c>GET /transactions/{company_id}</c> (no total in <c>meta</c>: page until a short page),
/// <c>GET /finance_transactions/{company_id}/{id}</c> and <c>GET /accounts/{company_id}</c>.</summary>
internal sealed class TransactionEndpoints(SandboxRuntime runtime)
{
    public const int DefaultPageSize = 50;

    public void Map(IEndpointRouteBuilder routes)
    {
        EndpointMapper.Get(routes, "/transactions/{company_id}", AccessLevel.User, Permission.Finance, ListAsync);
        EndpointMapper.Get(routes, "/finance_transactions/{company_id}/{transaction_id}", AccessLevel.User, Permission.Finance, GetAsync);
        EndpointMapper.Get(routes, "/accounts/{company_id}", AccessLevel.User, Permission.Finance, AccountsAsync);
    }

    private Task ListAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var offset = set.Company.UtcOffset;
        var query = new RequestQuery(context);
        var page = query.PositiveInt("page", 1);
        var count = Math.Min(query.PositiveInt("count", DefaultPageSize), runtime.Options.MaxPageSize);
        var startDate = query.Date("start_date");
        var endDate = query.Date("end_date");
        var changedAfter = query.Instant("changed_after", offset);
        var changedBefore = query.Instant("changed_before", offset);
        var deleted = query.OptionalFlag("deleted") ?? false;
        var accountId = query.Id("account_id");
        var clientId = query.Id("client_id");
        var masterId = query.Id("master_id");
        var supplierId = query.Id("supplier_id");
        var documentId = query.Id("document_id");
        var balance = query.Id("balance_is");
        var matches = set.FinanceTransactions.Where(t =>
            t.Deleted == deleted
            && (startDate is null || DateOnly.FromDateTime(t.Date.DateTime) >= startDate)
            && (endDate is null || DateOnly.FromDateTime(t.Date.DateTime) <= endDate)
            && (changedAfter is null || t.LastChangeDate >= changedAfter)
            && (changedBefore is null || t.LastChangeDate <= changedBefore)
            && (accountId is null || t.AccountId == accountId)
            && (clientId is null || t.ClientId == clientId)
            && (masterId is null || t.MasterId == masterId)
            && (supplierId is null || t.SupplierId == supplierId)
            && (documentId is null || t.DocumentId == documentId)
            && (balance is null || (balance == 1 ? t.Amount > 0 : t.Amount < 0))).ToList();
        var ordered = runtime.Ties.Apply(matches, t => t.Date);
        return Envelope.ListAsync(context, Paging.Slice(ordered, page, count), (w, t) => FinanceJson.WriteListItem(w, t, set), null);
    }

    private Task GetAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var id = SandboxRuntime.RouteId(context, "transaction_id");
        var transaction = set.FinanceTransactions.FirstOrDefault(t => t.Id == id) ?? throw new NotFoundException();
        return Envelope.ObjectAsync(context, w => FinanceJson.WriteDetailed(w, transaction, set, fullAccount: true));
    }

    private Task AccountsAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        return Envelope.ListAsync(context, set.Accounts, StockJson.WriteAccount, null);
    }
}
