using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>
/// Records and what derives from them: record_services, record_goods, visits and the ids of their documents.
/// A period is read by session date; an incremental read asks for records changed since the cursor minus
/// <c>lookback_days</c>; deleted records are always included.
/// </summary>
internal sealed class RecordsGroup : StreamGroup
{
    /// <summary>The largest page of <c>/records</c>.</summary>
    public const int PageCap = 300;

    public RecordsGroup()
        : base(StreamNames.Records, [StreamNames.Records, StreamNames.RecordServices, StreamNames.RecordGoods, StreamNames.Visits, StreamNames.Documents])
    {
    }

    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadContext context, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lead = Lead(context);
        var (queries, explicitPeriod, windowEnd) = Plan(context, company, lead);
        IReadOnlyDictionary<long, long>? categories = null;
        if (context.Filter.ServiceCategoryIds is not null)
        {
            categories = context.ServiceCategories(company.Id)
                ?? await CatalogGroup.ServiceCategoriesAsync(context, company, lead, cancellationToken).ConfigureAwait(false);
        }

        var seen = new HashSet<long>();
        var visits = new Dictionary<long, VisitAccumulator>();
        DateTimeOffset? latest = null;
        foreach (var query in queries)
        {
            await foreach (var page in Paginator.PagesAsync(context.Http, query, context.PageSize(PageCap), cancellationToken).ConfigureAwait(false))
            {
                context.Observer.OnPage(lead, page.Count);
                foreach (var record in page)
                {
                    if (Lenient.Long(record["id"]) is not { } id)
                    {
                        if (context.Filter.Accepts(record, categories) && Unkeyed(context, company, record) is { } message)
                        {
                            yield return message;
                        }

                        continue;
                    }

                    if (id <= 0 || !seen.Add(id) || !context.Filter.Accepts(record, categories))
                    {
                        continue;
                    }

                    latest = Max(latest, Lenient.Timestamp(record["last_change_date"]));

                    // A record and its lines form one group: a stop between batches keeps them together.
                    var rows = Rows(context, company, id, record, visits).ToList();
                    for (var i = 0; i < rows.Count; i++)
                    {
                        yield return i < rows.Count - 1 ? new SourceRecord(rows[i].Stream, rows[i].Data) { GroupContinues = true } : rows[i];
                    }
                }
            }
        }

        if (context.IsSelected(StreamNames.Visits))
        {
            foreach (var (visitId, visit) in visits)
            {
                yield return new SourceRecord(StreamNames.Visits, visit.ToRow(visitId, company.Id));
            }
        }

        AdvanceCursors(context, company, explicitPeriod, latest, windowEnd);
    }

    /// <summary>One probe per query of the plan (per staff member where the filter names staff), pages from its total.</summary>
    public override async Task<GroupEstimate> EstimateAsync(ReadContext context, CompanyInfo company, CancellationToken cancellationToken)
    {
        var (queries, _, _) = Plan(context, company, Lead(context));
        var pageSize = context.PageSize(PageCap);
        long requests = context.Filter.ServiceCategoryIds is not null && !context.IsSelected(StreamNames.Services) ? 1 : 0;
        foreach (var query in queries)
        {
            if (await Paginator.PagesNeededAsync(context.Http, query, pageSize, cancellationToken).ConfigureAwait(false) is not { } pages)
            {
                return new GroupEstimate(null, queries.Count, "unknown: /records gave no total_count");
            }

            requests += pages;
        }

        return new GroupEstimate(requests, queries.Count, string.Create(CultureInfo.InvariantCulture, $"exact: total_count / {pageSize} + 1 per query ({queries.Count} per company)"));
    }

    private (List<ApiRequest> Queries, bool ExplicitPeriod, DateTimeOffset WindowEnd) Plan(ReadContext context, CompanyInfo company, string lead)
    {
        var baseRequest = new ApiRequest
        {
            Stream = lead,
            Path = string.Create(CultureInfo.InvariantCulture, $"/records/{company.Id}"),
            Purpose = "read records",
            CompanyId = company.Id,
        }.With("with_deleted", 1);

        var queries = new List<ApiRequest>();
        var today = context.Today(company);
        var windowEnd = context.Now;
        var explicitPeriod = context.From is not null;
        if (context.From is { } from)
        {
            var to = context.To ?? today;
            queries.Add(baseRequest.With("start_date", ReadContext.Day(from)).With("end_date", ReadContext.Day(to)));
            var endOfPeriod = company.Clock.StartOf(to.AddDays(1));
            windowEnd = endOfPeriod < context.Now ? endOfPeriod : context.Now;
        }
        else
        {
            var cursors = SelectedConsumers(context).Select(c => context.State.Cursor(company.Key, CursorKey(c))).ToArray();
            if (cursors.Any(c => c is null))
            {
                queries.Add(baseRequest.With("start_date", ReadContext.Day(context.FirstRunStart(company))).With("end_date", ReadContext.Day(today)));
            }

            if (cursors.Where(c => c is not null).Min() is { } oldest)
            {
                var since = oldest.AddDays(-context.Options.LookbackDays);
                queries.Add(baseRequest.With("changed_after", ReadContext.Instant(company.Clock, since)));
            }
        }

        if (context.Filter.StaffIds is { } staff)
        {
            // The API filters by one staff member per request.
            queries = queries.SelectMany(q => staff.Order().Select(s => q.With("staff_id", s))).ToList();
        }

        return (queries, explicitPeriod, windowEnd);
    }

    /// <summary>
    /// A record whose id is no integer: the record row goes on as it came (the engine keeps it in its quarantine
    /// with the reason); its lines cannot be tied to it and are not read.
    /// </summary>
    private static SourceMessage? Unkeyed(ReadContext context, CompanyInfo company, JsonObject record)
    {
        if (context.IsSelected(StreamNames.Records))
        {
            return new SourceRecord(StreamNames.Records, RowShaper.Shape(record, context.Catalog[StreamNames.Records], company));
        }

        return context.IsSelected(StreamNames.RecordServices) || context.IsSelected(StreamNames.RecordGoods) || context.IsSelected(StreamNames.Visits)
            ? new SourceWarning(
                string.Create(CultureInfo.InvariantCulture, $"company {company.Id}: a record without a usable id was skipped; select the records stream to keep it in the quarantine."),
                StreamNames.Records)
            : null;
    }

    internal static IEnumerable<SourceRecord> Rows(ReadContext context, CompanyInfo company, long recordId, JsonObject record, Dictionary<long, VisitAccumulator> visits)
    {
        var deleted = Lenient.Bool(record["deleted"]) ?? false;
        var datetime = RowShaper.LocalToOffset(Lenient.Text(record["datetime"]) ?? string.Empty, company.Clock);
        var lastChange = Lenient.Timestamp(record["last_change_date"]);
        var staffId = Lenient.Id(record["staff_id"]);
        var visitId = Lenient.Id(record["visit_id"]);
        var clientId = Lenient.Id(Lenient.Object(record["client"])?["id"]);
        var attendance = Lenient.Long(record["attendance"]);

        foreach (var document in Lenient.Objects(record["documents"]))
        {
            context.AddEmbeddedDocument(company.Id, document);
        }

        if (context.IsSelected(StreamNames.RecordServices))
        {
            var lines = new Dictionary<long, JsonObject>();
            foreach (var service in Lenient.Objects(record["services"]))
            {
                if (Lenient.Id(service["id"]) is not { } serviceId)
                {
                    continue;
                }

                if (lines.TryGetValue(serviceId, out var existing))
                {
                    // The same service twice in one record: one row per key, with the quantities and sums added up.
                    foreach (var field in new[] { "amount", "first_cost", "cost", "manual_cost", "cost_to_pay" })
                    {
                        existing[field] = (Lenient.Decimal(existing[field]) ?? 0) + (Lenient.Decimal(service[field]) ?? 0);
                    }

                    continue;
                }

                lines[serviceId] = new JsonObject
                {
                    ["record_id"] = recordId,
                    ["service_id"] = serviceId,
                    ["company_id"] = company.Id,
                    ["title"] = service["title"]?.DeepClone(),
                    ["amount"] = service["amount"]?.DeepClone(),
                    ["cost_per_unit"] = service["cost_per_unit"]?.DeepClone(),
                    ["first_cost"] = service["first_cost"]?.DeepClone(),
                    ["discount"] = service["discount"]?.DeepClone(),
                    ["cost"] = service["cost"]?.DeepClone(),
                    ["manual_cost"] = service["manual_cost"]?.DeepClone(),
                    ["cost_to_pay"] = service["cost_to_pay"]?.DeepClone(),
                    ["staff_id"] = staffId,
                    ["visit_id"] = visitId,
                    ["client_id"] = clientId,
                    ["attendance"] = attendance,
                    ["datetime"] = datetime?.DeepClone(),
                    ["deleted"] = deleted,
                    ["last_change_date"] = Stamp(lastChange),
                };
            }

            foreach (var line in lines.Values)
            {
                yield return new SourceRecord(StreamNames.RecordServices, line);
            }
        }

        if (context.IsSelected(StreamNames.RecordGoods))
        {
            foreach (var goods in Lenient.Objects(record["goods_transactions"]))
            {
                if (Lenient.Id(goods["id"]) is not { } goodsId)
                {
                    continue;
                }

                var row = (JsonObject)goods.DeepClone();
                row["id"] = goodsId;
                row["record_id"] = recordId;
                row["company_id"] = company.Id;
                row["staff_id"] = staffId;
                row["visit_id"] = visitId;
                row["client_id"] = clientId;
                row["datetime"] = datetime?.DeepClone();
                row["deleted"] = deleted;
                row["last_change_date"] = Stamp(lastChange);
                yield return new SourceRecord(StreamNames.RecordGoods, row);
            }
        }

        if (context.IsSelected(StreamNames.Visits) && visitId is { } visit)
        {
            if (!visits.TryGetValue(visit, out var accumulator))
            {
                accumulator = new VisitAccumulator();
                visits[visit] = accumulator;
            }

            accumulator.Add(clientId, Lenient.Long(record["visit_attendance"]) ?? attendance, Lenient.Timestamp(datetime), deleted, lastChange);
        }

        if (context.IsSelected(StreamNames.Records))
        {
            var definition = context.Catalog[StreamNames.Records];
            record["id"] = recordId;
            yield return new SourceRecord(StreamNames.Records, RowShaper.Shape(record, definition, company));
        }
    }

    private static JsonValue? Stamp(DateTimeOffset? value) => value is { } v ? JsonValue.Create(v) : null;
}
