using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Reading;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Webhooks;

/// <summary>
/// The visit row of a record event. A visit sums up all its records, and one event carries one record, so the
/// visit's records are read again the way a pull reads them (the record's local day, deleted ones included, the
/// client's only when the record has a client) and go through the pull's own accumulation.
/// </summary>
internal static class WebhookVisits
{
    public static async Task<SourceRecord?> RowAsync(ReadContext context, CompanyInfo company, JsonObject record, CancellationToken cancellationToken)
    {
        if (Lenient.Id(record["visit_id"]) is not { } visitId || Day(record) is not { } day)
        {
            return null;
        }

        var request = new ApiRequest
        {
            Stream = StreamNames.Visits,
            Path = string.Create(CultureInfo.InvariantCulture, $"/records/{company.Id}"),
            Purpose = "read the records of a visit",
            CompanyId = company.Id,
        }.With("with_deleted", 1).With("start_date", ReadContext.Day(day)).With("end_date", ReadContext.Day(day));
        if (Lenient.Id(Lenient.Object(record["client"])?["id"]) is { } clientId)
        {
            request = request.With("client_id", clientId);
        }

        var visits = new Dictionary<long, VisitAccumulator>();
        var seen = new HashSet<long>();
        try
        {
            await foreach (var page in Paginator.PagesAsync(context.Http, request, context.PageSize(RecordsGroup.PageCap), cancellationToken).ConfigureAwait(false))
            {
                foreach (var item in page)
                {
                    if (Lenient.Id(item["id"]) is { } id && seen.Add(id) && Lenient.Id(item["visit_id"]) == visitId)
                    {
                        // Only the visit is selected: the record's own rows are not built, the accumulator is fed.
                        _ = RecordsGroup.Rows(context, company, id, item, visits).Count();
                    }
                }
            }
        }
        catch (MyBiException)
        {
            // The event's own rows are applied regardless; the visit waits for the next pull or the next event.
            return null;
        }

        return visits.TryGetValue(visitId, out var visit) ? new SourceRecord(StreamNames.Visits, visit.ToRow(visitId, company.Id)) : null;
    }

    /// <summary>The record's day in the company's zone, as <c>/records</c> filters by it.</summary>
    private static DateOnly? Day(JsonObject record)
    {
        var text = Lenient.Text(record["datetime"]) ?? Lenient.Text(record["date"]);
        return text is { Length: >= 10 } && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
    }
}
