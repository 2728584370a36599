using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Connectors.YClients.Sandbox.Data;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary><c>GET /records/{company_id}</c> and <c>GET /record/{company_id}/{record_id}</c>.</summary>
internal sealed class RecordEndpoints(SandboxRuntime runtime)
{
    public const int DefaultPageSize = 50;

    // Paging through a period asks the same question once per page; filtering every record of the company each
    // time made a large period quadratic (the sandbox, not the client, became what a benchmark measured). The
    // matches are kept per snapshot of the company's data (a mutation makes a new snapshot) and per query
    // without page and count; a few dozen queries are kept at most.
    private const int CachedQueriesPerSnapshot = 32;

    private readonly ConditionalWeakTable<CompanyDataSet, ConcurrentDictionary<string, List<SandboxRecord>>> _matches = new();

    public void Map(IEndpointRouteBuilder routes)
    {
        EndpointMapper.Get(routes, "/records/{company_id}", AccessLevel.User, Permission.Records, ListAsync);
        EndpointMapper.Get(routes, "/record/{company_id}/{record_id}", AccessLevel.User, Permission.Records, GetAsync);
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
        var createdFrom = query.Date("c_start_date");
        var createdTo = query.Date("c_end_date");
        var changedAfter = query.Instant("changed_after", offset);
        var changedBefore = query.Instant("changed_before", offset);
        var withDeleted = query.Flag("with_deleted");
        var staffId = query.Id("staff_id");
        var clientId = query.Id("client_id");
        var createdUserId = query.Id("created_user_id");
        var includeConsumables = query.Flag("include_consumables");
        var includeFinance = query.Flag("include_finance_transactions");

        var cache = _matches.GetValue(set, static _ => new ConcurrentDictionary<string, List<SandboxRecord>>(StringComparer.Ordinal));
        var question = string.Join('&', context.Request.Query
            .Where(q => q.Key is not ("page" or "count"))
            .OrderBy(q => q.Key, StringComparer.Ordinal)
            .Select(q => q.Key + "=" + q.Value));
        if (cache.TryGetValue(question, out var matches))
        {
            return WritePage(context, set, matches, page, count, includeConsumables, includeFinance);
        }

        matches = set.Records.Where(r =>
            (withDeleted || !r.Deleted)
            && (startDate is null || r.Day >= startDate)
            && (endDate is null || r.Day <= endDate)
            && (createdFrom is null || DateOnly.FromDateTime(r.CreateDate.DateTime) >= createdFrom)
            && (createdTo is null || DateOnly.FromDateTime(r.CreateDate.DateTime) <= createdTo)
            && (changedAfter is null || r.LastChangeDate >= changedAfter)
            && (changedBefore is null || r.LastChangeDate <= changedBefore)
            && (staffId is null || r.StaffId == staffId)
            && (clientId is null || r.ClientId == clientId)
            && (createdUserId is null || r.CreatedUserId == createdUserId)).ToList();
        if (cache.Count >= CachedQueriesPerSnapshot)
        {
            cache.Clear();
        }

        cache[question] = matches;
        return WritePage(context, set, matches, page, count, includeConsumables, includeFinance);
    }

    private Task WritePage(HttpContext context, CompanyDataSet set, List<SandboxRecord> matches, int page, int count, bool includeConsumables, bool includeFinance)
    {
        var ordered = runtime.Ties.Apply(matches, r => r.Datetime);
        var slice = Paging.Slice(ordered, page, count).Select(r => (Record: r, Id: (string?)null)).ToList();
        var injected = runtime.Options.InjectedRecordIds;
        if (page == 1 && slice.Count > 0)
        {
            slice.AddRange(injected.Select(id => (slice[0].Record, (string?)id)));
        }

        return Envelope.ListAsync(context, slice,
            (w, r) => RecordJson.Write(w, r.Record, set, includeConsumables, includeFinance, r.Id),
            Envelope.PageMeta(page, matches.Count + (matches.Count > 0 ? injected.Count : 0)));
    }

    private Task GetAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var query = new RequestQuery(context);
        var record = set.RecordsById.GetValueOrDefault(SandboxRuntime.RouteId(context, "record_id")) ?? throw new NotFoundException();
        return Envelope.ObjectAsync(context,
            w => RecordJson.Write(w, record, set, query.Flag("include_consumables"), query.Flag("include_finance_transactions")));
    }
}
