using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>A full-refresh list of a company: services, service categories, staff, storages, goods.</summary>
internal sealed class CatalogGroup : StreamGroup
{
    private readonly string _pathFormat;
    private readonly string _purpose;
    private readonly int? _pageCap;
    private readonly string _idField;

    /// <param name="stream">The stream.</param>
    /// <param name="pathFormat">Path with <c>{0}</c> for the company id.</param>
    /// <param name="purpose">What the request does, for messages.</param>
    /// <param name="pageCap">The largest page for a paged endpoint; null for an unpaged list.</param>
    /// <param name="idField">The field that identifies a row, for de-duplication.</param>
    public CatalogGroup(string stream, string pathFormat, string purpose, int? pageCap = null, string idField = "id")
        : base(stream, [stream])
    {
        _pathFormat = pathFormat;
        _purpose = purpose;
        _pageCap = pageCap;
        _idField = idField;
    }

    public static IReadOnlyList<CatalogGroup> All { get; } =
    [
        new(StreamNames.ServiceCategories, "/company/{0}/service_categories", "read service categories"),
        new(StreamNames.Services, "/company/{0}/services", "read services"),
        new(StreamNames.Staff, "/company/{0}/staff", "read staff"),
        new(StreamNames.Storages, "/storages/{0}", "read storages"),
        new(StreamNames.Goods, "/goods/{0}", "read goods", pageCap: 100, idField: "good_id"),
    ];

    /// <summary>The request for the list of a company (services also feed the records category filter).</summary>
    public static ApiRequest Request(string stream, string pathFormat, string purpose, long companyId) => new()
    {
        Stream = stream,
        Path = string.Format(CultureInfo.InvariantCulture, pathFormat, companyId),
        Purpose = purpose,
        CompanyId = companyId,
    };

    /// <summary>Reads the service list of a company into a service-to-category map.</summary>
    public static async Task<IReadOnlyDictionary<long, long>> ServiceCategoriesAsync(ReadContext context, CompanyInfo company, string stream, CancellationToken cancellationToken)
    {
        var envelope = await context.Http.SendAsync(Request(stream, "/company/{0}/services", "read services", company.Id), cancellationToken).ConfigureAwait(false);
        var map = Map(envelope?.Items.OfType<JsonObject>() ?? []);
        context.RememberServiceCategories(company.Id, map);
        return map;
    }

    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadContext context, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var definition = context.Catalog[Name];
        await foreach (var item in ItemsAsync(context, company, cancellationToken).ConfigureAwait(false))
        {
            yield return new SourceRecord(Name, RowShaper.Shape(item, definition, company));
        }
    }

    /// <summary>The company's list items, each once, as the API gives them.</summary>
    public async IAsyncEnumerable<JsonObject> ItemsAsync(ReadContext context, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = Request(Name, _pathFormat, _purpose, company.Id);
        var seen = new HashSet<long>();
        var categories = Name == StreamNames.Services ? new Dictionary<long, long>() : null;
        await foreach (var page in PagesAsync(context, request, cancellationToken).ConfigureAwait(false))
        {
            context.Observer.OnPage(Name, page.Count);
            foreach (var item in page)
            {
                if (Lenient.Long(item[_idField]) is not { } id)
                {
                    // Passed on as it came: the engine keeps a row whose id cannot be stored in its quarantine.
                    yield return item;
                    continue;
                }

                if (!seen.Add(id))
                {
                    continue;
                }

                if (categories is not null && Lenient.Id(item["category_id"]) is { } category)
                {
                    categories[id] = category;
                }

                yield return item;
            }
        }

        if (categories is not null)
        {
            context.RememberServiceCategories(company.Id, categories);
        }
    }

    /// <summary>An unpaged list is one request; a paged one at least one (its answer gives no total).</summary>
    public override Task<GroupEstimate> EstimateAsync(ReadContext context, CompanyInfo company, CancellationToken cancellationToken) =>
        Task.FromResult(_pageCap is { } cap
            ? new GroupEstimate(1, 0, string.Create(CultureInfo.InvariantCulture, $"at least: 1 per company (pages of {context.PageSize(cap)}, no total)"))
            : new GroupEstimate(1, 0, "exact: 1 per company"));

    private async IAsyncEnumerable<IReadOnlyList<JsonObject>> PagesAsync(ReadContext context, ApiRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_pageCap is { } cap)
        {
            await foreach (var page in Paginator.PagesAsync(context.Http, request, context.PageSize(cap), cancellationToken).ConfigureAwait(false))
            {
                yield return page;
            }

            yield break;
        }

        var envelope = await context.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        yield return envelope is null ? [] : Paginator.Detach(envelope.Items);
    }

    private static Dictionary<long, long> Map(IEnumerable<JsonObject> services)
    {
        var map = new Dictionary<long, long>();
        foreach (var service in services)
        {
            if (Lenient.Id(service["id"]) is { } id && Lenient.Id(service["category_id"]) is { } category)
            {
                map[id] = category;
            }
        }

        return map;
    }
}
