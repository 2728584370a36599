using System.Runtime.CompilerServices;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Configuration;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>
/// An open YCLIENTS session: authenticated, with the companies resolved. It reads stream group by stream group,
/// company by company, and checkpoints the whole state after each company of each group.
/// </summary>
internal sealed class YClientsSession : SourceSession
{
    private readonly YClientsHttpClient _http;
    private readonly YClientsOptions _options;
    private readonly StreamCatalog _catalog;
    private readonly IReadOnlyList<CompanyInfo> _companies;
    private readonly IReadOnlyList<string> _connectWarnings;
    private readonly SourceContext _context;

    public YClientsSession(
        YClientsHttpClient http,
        YClientsOptions options,
        StreamCatalog catalog,
        IReadOnlyList<CompanyInfo> companies,
        IReadOnlyList<string> connectWarnings,
        SourceContext context)
    {
        _http = http;
        _options = options;
        _catalog = catalog;
        _companies = companies;
        _connectWarnings = connectWarnings;
        _context = context;
    }

    /// <summary>The companies this session loads.</summary>
    public IReadOnlyList<CompanyInfo> Companies => _companies;

    /// <summary>The groups in reading order: catalogs first (services feed the records filter), documents last.</summary>
    private static IReadOnlyList<StreamGroup> Groups { get; } =
    [
        new CompaniesGroup(),
        .. CatalogGroup.All,
        new ClientsGroup(),
        new RecordsGroup(),
        TransactionsGroup.Finance,
        TransactionsGroup.Goods,
        new DocumentsGroup(),
    ];

    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var selected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stream in request.Streams)
        {
            if (!_catalog.Contains(stream))
            {
                throw MyBiException.Config(
                    $"YCLIENTS has no stream '{stream}' (streams: {string.Join(", ", StreamNames.All)}).");
            }

            selected.Add(stream);
        }

        if (request.From is { } from && request.To is { } to && to < from)
        {
            throw MyBiException.Config($"The period ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).");
        }

        var context = new ReadContext
        {
            Http = _http,
            Options = _options,
            Catalog = _catalog,
            State = SyncState.From(request.State),
            Selected = selected,
            Observer = _context.Observer,
            Now = _context.TimeProvider.GetUtcNow(),
            From = request.From,
            To = request.To,
            Filter = RecordFilter.Parse(request.Filters, _catalog),
        };

        foreach (var warning in _connectWarnings)
        {
            yield return new SourceWarning(warning);
        }

        foreach (var group in Groups)
        {
            if (!group.IsNeeded(context))
            {
                continue;
            }

            CompanyAccessException? firstFailure = null;
            var loaded = 0;
            foreach (var company in _companies)
            {
                CompanyAccessException? failure = null;
                await using (var messages = group.ReadAsync(context, company, cancellationToken).GetAsyncEnumerator(cancellationToken))
                {
                    while (true)
                    {
                        SourceMessage message;
                        try
                        {
                            if (!await messages.MoveNextAsync().ConfigureAwait(false))
                            {
                                break;
                            }

                            message = messages.Current;
                        }
                        catch (CompanyAccessException ex)
                        {
                            failure = ex;
                            break;
                        }

                        yield return message;
                    }
                }

                if (failure is not null)
                {
                    firstFailure ??= failure;
                    if (_companies.Count > 1)
                    {
                        yield return new SourceWarning($"{failure.Message} The other companies are still loaded.", failure.Stream ?? group.Name);
                    }

                    continue;
                }

                loaded++;
                yield return new SourceCheckpoint(context.State.ToJson());
            }

            if (loaded == 0 && firstFailure is not null)
            {
                throw firstFailure.ToPublic();
            }
        }
    }

    public override ValueTask DisposeAsync()
    {
        _http.Dispose();
        return base.DisposeAsync();
    }
}
