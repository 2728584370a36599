using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Reading;

namespace MyBi.Connectors.YClients.Reports;

/// <summary>
/// Consumables written off by the period's records: the goods transactions (type 2) that
/// <c>GET /records/{company_id}?include_consumables=1</c> nests in each record, so one request serves a whole page
/// of records instead of one <c>/technological_cards/record_consumables</c> request per record. Deleted records
/// are left out (the API's default), as their write-offs no longer stand.
/// </summary>
internal sealed class RecordConsumablesReport : ReportReader
{
    public RecordConsumablesReport()
        : base(ReportNames.RecordConsumables)
    {
    }

    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadContext context, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = context.From ?? context.Today(company);
        var to = context.To ?? context.Today(company);
        var request = new ApiRequest
        {
            Stream = Name,
            Path = string.Create(CultureInfo.InvariantCulture, $"/records/{company.Id}"),
            Purpose = "read records with their consumables",
            CompanyId = company.Id,
        }.With("start_date", ReadContext.Day(from)).With("end_date", ReadContext.Day(to)).With("include_consumables", 1);

        var seen = new HashSet<long>();
        await foreach (var page in Paginator.PagesAsync(context.Http, request, context.PageSize(RecordsGroup.PageCap), cancellationToken).ConfigureAwait(false))
        {
            var rows = new List<JsonObject>();
            foreach (var record in page)
            {
                var recordId = Lenient.Id(record["id"]);
                foreach (var consumable in Lenient.Objects(record["consumables"]))
                {
                    if (Lenient.Id(consumable["id"]) is not { } id || !seen.Add(id))
                    {
                        continue;
                    }

                    var row = (JsonObject)consumable.DeepClone();
                    row["id"] = id;
                    if (Lenient.Id(row["record_id"]) is null && recordId is not null)
                    {
                        row["record_id"] = recordId;
                    }

                    rows.Add(row);
                }
            }

            context.Observer.OnPage(Name, rows.Count);
            foreach (var row in rows)
            {
                yield return new SourceRecord(Name, row);
            }
        }
    }
}
