using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>
/// Finance transactions (<c>/transactions</c>) and goods transactions (<c>/storages/transactions</c>). Their offset
/// pagination is unstable when many rows share a date (rows on a page boundary shift between requests), so a
/// date window is halved until it fits in one page; a single day that still overflows is paged, and rows are
/// de-duplicated by id.
/// </summary>
internal sealed class TransactionsGroup : StreamGroup
{
    private const int PageCap = 200;
    private const int InitialWindowDays = 7;

    private readonly string _pathFormat;
    private readonly string _purpose;
    private readonly bool[]? _deletedPasses;

    private TransactionsGroup(string stream, string pathFormat, string purpose, bool[]? deletedPasses)
        : base(stream, [stream, StreamNames.Documents])
    {
        _pathFormat = pathFormat;
        _purpose = purpose;
        _deletedPasses = deletedPasses;
    }

    /// <summary>Transactions name documents only by id: they feed documents only when details are fetched.</summary>
    protected override bool Feeds(string consumer, ReadContext context) => consumer != StreamNames.Documents || context.DocumentDetails;

    /// <summary>
    /// <c>/transactions</c> answers either live or deleted transactions (<c>deleted=0/1</c>, live by default) and its
    /// list items carry no deleted flag: both are read, so a payment deleted in YCLIENTS arrives with deleted=true.
    /// </summary>
    public static TransactionsGroup Finance { get; } = new(StreamNames.FinanceTransactions, "/transactions/{0}", "read finance transactions", [false, true]);

    /// <summary>
    /// Live finance transactions only (what <c>/transactions</c> answers by default), without the deleted flag: for exports
    /// whose rows must add up to the company's cash flow.
    /// </summary>
    public static TransactionsGroup FinanceLive { get; } = new(StreamNames.FinanceTransactions, "/transactions/{0}", "read finance transactions", null);

    public static TransactionsGroup Goods { get; } = new(StreamNames.GoodsTransactions, "/storages/transactions/{0}", "read goods transactions", null);

    /// <summary>
    /// Goods transactions as the documentation's list example writes them: the client under <c>clients</c> is
    /// taken as <c>client</c>. A missing <c>amount</c> stays null: its sign depends on the operation, so it is not
    /// guessed from the cost.
    /// </summary>
    internal static JsonObject ShapeGoods(JsonObject row)
    {
        if (row["client"] is null && row.TryGetPropertyValue("clients", out var client))
        {
            row.Remove("clients");
            row["client"] = client;
        }

        return row;
    }

    /// <summary>Splits [start, end] in two halves of whole days.</summary>
    internal static ((DateOnly, DateOnly) Left, (DateOnly, DateOnly) Right) Halve(DateOnly start, DateOnly end)
    {
        var days = end.DayNumber - start.DayNumber;
        var middle = start.AddDays(days / 2);
        return ((start, middle), (middle.AddDays(1), end));
    }

    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadContext context, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lead = Lead(context);
        var explicitPeriod = context.From is not null;
        var (start, end, windowEnd) = Period(context, company);
        var baseRequest = new ApiRequest
        {
            Stream = lead,
            Path = string.Format(CultureInfo.InvariantCulture, _pathFormat, company.Id),
            Purpose = _purpose,
            CompanyId = company.Id,
        };
        var seen = new HashSet<long>();
        foreach (var deleted in _deletedPasses ?? [false])
        {
            var request = _deletedPasses is null ? baseRequest : baseRequest.With("deleted", deleted ? 1 : 0);
            await foreach (var message in WindowsAsync(context, company, request, start, end, deleted, seen, lead, cancellationToken).ConfigureAwait(false))
            {
                yield return message;
            }
        }

        AdvanceCursors(context, company, explicitPeriod, windowEnd, windowEnd);
    }

    /// <summary>
    /// One request per window of <see cref="InitialWindowDays"/> days and pass: a bound from below, since a window
    /// that fills a page is halved and a day that overflows is paged.
    /// </summary>
    public override Task<GroupEstimate> EstimateAsync(ReadContext context, CompanyInfo company, CancellationToken cancellationToken)
    {
        var (start, end, _) = Period(context, company);
        var days = Math.Max(0, end.DayNumber - start.DayNumber + 1);
        var windows = (days + InitialWindowDays - 1) / InitialWindowDays;
        var passes = _deletedPasses?.Length ?? 1;
        return Task.FromResult(new GroupEstimate(
            (long)windows * passes,
            0,
            string.Create(CultureInfo.InvariantCulture, $"at least: {windows} windows of {InitialWindowDays} days x {passes} per company; busy windows are split")));
    }

    /// <summary>The days to read and the end of the window the cursors move to.</summary>
    private (DateOnly Start, DateOnly End, DateTimeOffset WindowEnd) Period(ReadContext context, CompanyInfo company)
    {
        var today = context.Today(company);
        DateOnly start;
        DateOnly end;
        var windowEnd = context.Now;
        if (context.From is { } periodStart)
        {
            start = periodStart;
            end = context.To ?? today;
            var endOfPeriod = company.Clock.StartOf(end.AddDays(1));
            windowEnd = endOfPeriod < context.Now ? endOfPeriod : context.Now;
        }
        else
        {
            start = today;
            end = today;
            foreach (var consumer in SelectedConsumers(context))
            {
                var candidate = context.State.Cursor(company.Key, CursorKey(consumer)) is { } cursor
                    ? context.NotBeforeHorizon(company.Clock.Today(cursor).AddDays(-context.Options.LookbackDays))
                    : context.FirstRunStart(company);
                start = candidate < start ? candidate : start;
            }
        }

        return (start, end, windowEnd);
    }

    internal JsonObject Shape(JsonObject row, bool deleted)
    {
        if (_deletedPasses is not null)
        {
            row["deleted"] = deleted;
        }

        return Name == StreamNames.GoodsTransactions ? ShapeGoods(row) : row;
    }

    private async IAsyncEnumerable<SourceMessage> WindowsAsync(
        ReadContext context,
        CompanyInfo company,
        ApiRequest baseRequest,
        DateOnly start,
        DateOnly end,
        bool deleted,
        HashSet<long> seen,
        string lead,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pageSize = context.PageSize(PageCap);

        // Until a page has come back full, a short first page may be the server's own cap rather than the whole window.
        var pageHonoured = false;
        var definition = context.Catalog[Name];
        var windows = new Stack<(DateOnly Start, DateOnly End)>();
        for (var chunkEnd = end; chunkEnd >= start; chunkEnd = chunkEnd.AddDays(-InitialWindowDays))
        {
            var chunkStart = chunkEnd.AddDays(-(InitialWindowDays - 1));
            windows.Push((chunkStart < start ? start : chunkStart, chunkEnd));
        }

        while (windows.Count > 0)
        {
            var (from, to) = windows.Pop();
            var request = baseRequest.With("start_date", ReadContext.Day(from)).With("end_date", ReadContext.Day(to));
            IReadOnlyList<JsonObject> rows;
            if (from < to)
            {
                var envelope = await context.Http.SendAsync(request.With("page", 1).With("count", pageSize), cancellationToken).ConfigureAwait(false);
                var raw = envelope?.Items ?? [];
                if (raw.Count >= pageSize)
                {
                    pageHonoured = true;
                }
                else if (raw.Count > 0 && !pageHonoured && await HasSecondPageAsync(context, request, pageSize, raw, cancellationToken).ConfigureAwait(false))
                {
                    // The server caps 'count' below what was asked: its cap is the page size from now on.
                    pageSize = raw.Count;
                    pageHonoured = true;
                }

                if (raw.Count >= pageSize)
                {
                    var (left, right) = Halve(from, to);
                    windows.Push(right);
                    windows.Push(left);
                    continue;
                }

                rows = Paginator.Detach(raw);
                context.Observer.OnPage(lead, rows.Count);
            }
            else
            {
                var day = new List<JsonObject>();
                await foreach (var page in Paginator.PagesAsync(context.Http, request, pageSize, cancellationToken).ConfigureAwait(false))
                {
                    context.Observer.OnPage(lead, page.Count);
                    day.AddRange(page);
                }

                rows = day;
            }

            foreach (var row in rows)
            {
                if (Lenient.Long(row["id"]) is not { } id)
                {
                    // The engine keeps a row whose id cannot be stored in its quarantine, with the reason.
                    if (context.IsSelected(Name))
                    {
                        yield return new SourceRecord(Name, RowShaper.Shape(Shape(row, deleted), definition, company));
                    }

                    continue;
                }

                if (id <= 0 || !seen.Add(id))
                {
                    continue;
                }

                context.AddDocument(company.Id, Lenient.Id(row["document_id"]));
                if (context.IsSelected(Name))
                {
                    row["id"] = id;
                    yield return new SourceRecord(Name, RowShaper.Shape(Shape(row, deleted), definition, company));
                }
            }
        }
    }

    /// <summary>Whether a window whose first page came back short has a second page (the server capped <c>count</c>).</summary>
    private static async Task<bool> HasSecondPageAsync(ReadContext context, ApiRequest request, int pageSize, JsonArray first, CancellationToken cancellationToken)
    {
        var envelope = await context.Http.SendAsync(request.With("page", 2).With("count", pageSize), cancellationToken).ConfigureAwait(false);
        var second = envelope?.Items ?? [];
        if (second.Count == 0)
        {
            return false;
        }

        // A server that ignores 'page' sends the first page again: the window was whole.
        var firstIds = first.Select(r => (r as JsonObject)?["id"]?.ToJsonString()).ToHashSet(StringComparer.Ordinal);
        return !second.All(r => firstIds.Contains((r as JsonObject)?["id"]?.ToJsonString()));
    }
}
