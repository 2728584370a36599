using System.Globalization;
using System.Runtime.CompilerServices;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>
/// Clients from the full-object list <c>GET /clients/{company_id}</c>: everything on a first read, then only
/// those changed since the cursor minus <c>lookback_days</c>.
/// </summary>
internal sealed class ClientsGroup : StreamGroup
{
    private const int PageCap = 200;

    public ClientsGroup()
        : base(StreamNames.Clients, [StreamNames.Clients])
    {
    }

    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadContext context, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var definition = context.Catalog[Name];
        var request = Request(context, company);
        var seen = new HashSet<long>();
        DateTimeOffset? latest = null;
        await foreach (var page in Paginator.PagesAsync(context.Http, request, context.PageSize(PageCap), cancellationToken).ConfigureAwait(false))
        {
            context.Observer.OnPage(Name, page.Count);
            foreach (var item in page)
            {
                if (Lenient.Long(item["id"]) is not { } id)
                {
                    // The engine keeps a row whose id cannot be stored in its quarantine, with the reason.
                    yield return new SourceRecord(Name, RowShaper.Shape(item, definition, company));
                    continue;
                }

                if (id <= 0 || !seen.Add(id))
                {
                    continue;
                }

                latest = Max(latest, Lenient.Timestamp(item["last_change_date"]));
                yield return new SourceRecord(Name, RowShaper.Shape(item, definition, company));
            }
        }

        AdvanceCursors(context, company, explicitPeriod: false, latest, context.Now);
    }

    /// <summary>One probe of one row, pages from its total.</summary>
    public override async Task<GroupEstimate> EstimateAsync(ReadContext context, CompanyInfo company, CancellationToken cancellationToken)
    {
        var pageSize = context.PageSize(PageCap);
        return await Paginator.PagesNeededAsync(context.Http, Request(context, company), pageSize, cancellationToken).ConfigureAwait(false) is { } pages
            ? new GroupEstimate(pages, 1, string.Create(CultureInfo.InvariantCulture, $"exact: total_count / {pageSize} + 1 per company"))
            : new GroupEstimate(null, 1, "unknown: /clients gave no total_count");
    }

    /// <summary>Everything on a first read, else what changed since the cursor minus the lookback.</summary>
    private ApiRequest Request(ReadContext context, CompanyInfo company)
    {
        var request = new ApiRequest
        {
            Stream = Name,
            Path = string.Create(CultureInfo.InvariantCulture, $"/clients/{company.Id}"),
            Purpose = "read clients",
            CompanyId = company.Id,
        };
        return context.State.Cursor(company.Key, Name) is { } cursor
            ? request.With("changed_after", ReadContext.Instant(company.Clock, cursor.AddDays(-context.Options.LookbackDays)))
            : request;
    }
}
