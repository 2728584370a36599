using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Connectors.YClients.Configuration;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>Everything the stream groups share during one <c>ReadAsync</c>.</summary>
internal sealed class ReadContext
{
    private readonly Dictionary<long, HashSet<long>> _documentIds = [];
    private readonly Dictionary<long, Dictionary<long, JsonObject>> _embeddedDocuments = [];
    private readonly Dictionary<long, List<(string Key, DateTimeOffset Cursor)>> _documentCursors = [];
    private readonly Dictionary<long, IReadOnlyDictionary<long, long>> _serviceCategories = [];

    public required YClientsHttpClient Http { get; init; }

    public required YClientsOptions Options { get; init; }

    public required StreamCatalog Catalog { get; init; }

    public required SyncState State { get; init; }

    public required IReadOnlySet<string> Selected { get; init; }

    public required SourceObserver Observer { get; init; }

    /// <summary>When the read started (engine clock); "today" and window ends derive from it.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Explicit period, or null for incremental / first-run reads.</summary>
    public DateOnly? From { get; init; }

    public DateOnly? To { get; init; }

    public RecordFilter Filter { get; init; } = RecordFilter.None;

    /// <summary>
    /// Whether documents that only transactions name are fetched one by one; otherwise documents come only from
    /// what records embed, at no request of their own.
    /// </summary>
    public bool DocumentDetails { get; init; }

    public bool IsSelected(string stream) => Selected.Contains(stream);

    /// <summary>Companies whose data YCLIENTS refused during this read (403 or not found).</summary>
    public HashSet<long> RefusedCompanies { get; } = [];

    /// <summary>Companies of which at least one stream group was read in full during this read.</summary>
    public HashSet<long> ReadCompanies { get; } = [];

    /// <summary>Notes a document id found in a record or a transaction (when documents are being loaded).</summary>
    public void AddDocument(long company, long? documentId)
    {
        if (documentId is not { } id || !IsSelected(StreamNames.Documents) || !DocumentDetails)
        {
            return;
        }

        if (!_documentIds.TryGetValue(company, out var ids))
        {
            ids = [];
            _documentIds[company] = ids;
        }

        ids.Add(id);
    }

    /// <summary>
    /// Keeps a document a record carries in its <c>documents[]</c> (when documents are being loaded): it becomes a
    /// row without a request of its own.
    /// </summary>
    public void AddEmbeddedDocument(long company, JsonObject document)
    {
        if (Lenient.Id(document["id"]) is not { } id || !IsSelected(StreamNames.Documents))
        {
            return;
        }

        if (!_embeddedDocuments.TryGetValue(company, out var documents))
        {
            documents = [];
            _embeddedDocuments[company] = documents;
        }

        documents[id] = document;
    }

    /// <summary>
    /// The documents collected for a company, handing them over once: those embedded in records as they came, the
    /// other ids to be fetched.
    /// </summary>
    public (IReadOnlyList<(long Id, JsonObject Document)> Embedded, IReadOnlyList<long> ToFetch) TakeDocuments(long company)
    {
        _embeddedDocuments.Remove(company, out var embedded);
        embedded ??= [];
        var ids = _documentIds.Remove(company, out var collected) ? collected : [];
        var toFetch = ids.Where(id => !embedded.ContainsKey(id)).Order().ToList();
        var taken = embedded.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value)).ToList();
        return (taken, toFetch);
    }

    /// <summary>
    /// Holds a documents cursor until the documents of that company are loaded: only then have the rows that
    /// depend on it been committed.
    /// </summary>
    public void DeferDocumentCursor(long company, string key, DateTimeOffset cursor)
    {
        if (!_documentCursors.TryGetValue(company, out var list))
        {
            list = [];
            _documentCursors[company] = list;
        }

        list.Add((key, cursor));
    }

    public void CommitDocumentCursors(CompanyInfo company)
    {
        if (_documentCursors.Remove(company.Id, out var list))
        {
            foreach (var (key, cursor) in list)
            {
                State.Advance(company.Key, key, cursor);
            }
        }
    }

    public void RememberServiceCategories(long company, IReadOnlyDictionary<long, long> map) => _serviceCategories[company] = map;

    public IReadOnlyDictionary<long, long>? ServiceCategories(long company) => _serviceCategories.GetValueOrDefault(company);

    /// <summary>The company's "today" at the start of the read.</summary>
    public DateOnly Today(CompanyInfo company) => company.Clock.Today(Now);

    /// <summary>First day of a first-run window: <c>first_run_days</c> days ending today.</summary>
    public DateOnly FirstRunStart(CompanyInfo company) => NotBeforeHorizon(Today(company).AddDays(-(Options.FirstRunDays - 1)));

    /// <summary>The retention horizon: rows dated before it are deleted in the warehouse, so no window starts earlier.</summary>
    public DateOnly? Horizon { get; init; }

    /// <summary>The day, or the horizon when the day lies before it.</summary>
    public DateOnly NotBeforeHorizon(DateOnly day) => Horizon is { } horizon && day < horizon ? horizon : day;

    /// <summary>The page size for an endpoint with the given cap.</summary>
    public int PageSize(int cap) => Math.Min(Options.PageSize, cap);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// A changed_after value: the company's local time with its offset in the form the API documents
    /// (<c>2024-03-01T00:00:00+0300</c>, PHP's ISO8601), not <c>+03:00</c>.
    /// </summary>
    public static string Instant(CompanyClock clock, DateTimeOffset instant)
    {
        var local = clock.Local(instant);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{local:yyyy-MM-dd'T'HH:mm:ss}{sign}{offset.Hours:00}{offset.Minutes:00}");
    }
}
