using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Reports;
using MyBi.Abstractions.Streams;
using MyBi.Abstractions.Webhooks;
using MyBi.Connectors.YClients.Webhooks;
using MyBi.Connectors.YClients.Configuration;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Reports;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>
/// An open YCLIENTS session: authenticated, with the companies resolved. It reads stream group by stream group,
/// company by company, and checkpoints the whole state after each company of each group. Report exports reuse the
/// same groups, company by company, for an explicit period.
/// </summary>
internal sealed class YClientsSession : SourceSession
{
    private readonly YClientsHttpClient _http;
    private readonly YClientsOptions _options;
    private readonly StreamCatalog _catalog;
    private readonly ReportCatalog _reports;
    private readonly IReadOnlyList<CompanyInfo> _companies;
    private readonly IReadOnlyList<string> _connectWarnings;
    private readonly SourceContext _context;

    public YClientsSession(
        YClientsHttpClient http,
        YClientsOptions options,
        StreamCatalog catalog,
        ReportCatalog reports,
        IReadOnlyList<CompanyInfo> companies,
        IReadOnlyList<string> connectWarnings,
        SourceContext context)
    {
        _http = http;
        _options = options;
        _catalog = catalog;
        _reports = reports;
        _companies = companies;
        _connectWarnings = connectWarnings;
        _context = context;
    }

    /// <summary>The companies this session loads.</summary>
    public IReadOnlyList<CompanyInfo> Companies => _companies;

    /// <summary>
    /// The groups in reading order: catalogs first (services feed the records filter), then documents, and the
    /// companies last, when the read has shown which of them refuse their data.
    /// </summary>
    private static IReadOnlyList<StreamGroup> Groups { get; } =
    [
        .. CatalogGroup.All,
        new ClientsGroup(),
        new RecordsGroup(),
        TransactionsGroup.Finance,
        TransactionsGroup.Goods,
        new DocumentsGroup(),
        new CompaniesGroup(),
    ];

    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var context = ContextOf(request);
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

            await foreach (var message in PerCompanyAsync(group.Name, company => WithLocalTimes(group.ReadAsync(context, company, cancellationToken), company, cancellationToken), () => new SourceCheckpoint(context.State.ToJson()), context, cancellationToken).ConfigureAwait(false))
            {
                yield return message;
            }
        }
    }

    /// <summary>
    /// Asks each group that would run what it would send per company (paged lists read their total with one request
    /// of one row); the requests of a group are the lead stream's, the other streams it feeds cost nothing more.
    /// </summary>
    public override async ValueTask<SourceEstimate> EstimateAsync(ReadRequest request, CancellationToken cancellationToken = default)
    {
        var context = ContextOf(request);
        var estimates = new Dictionary<string, StreamEstimate>(StringComparer.Ordinal);
        var readWith = new Dictionary<string, StreamEstimate>(StringComparer.Ordinal);
        long probes = 0;
        foreach (var group in Groups)
        {
            if (!group.IsNeeded(context))
            {
                continue;
            }

            long? requests = 0;
            var basis = "";
            foreach (var company in _companies)
            {
                try
                {
                    var estimate = await group.EstimateAsync(context, company, cancellationToken).ConfigureAwait(false);
                    probes += estimate.Probes;
                    requests = requests is { } sum && estimate.Requests is { } more ? sum + more : null;
                    basis = estimate.Basis;
                }
                catch (CompanyAccessException)
                {
                    // The read would stop at the company's first request, as the probe did.
                    probes++;
                    requests += 1;
                }
            }

            // A stream that leads several groups (documents without records) sends the requests of each.
            var lead = group.LeadOf(context);
            estimates[lead] = estimates.GetValueOrDefault(lead) is { } earlier
                ? new StreamEstimate(lead, earlier.Requests + requests, requests is null ? $"{basis}; {earlier.Basis}" : $"{earlier.Basis}; {basis}")
                : new StreamEstimate(lead, requests, basis);
            foreach (var consumer in group.Consumers.Where(context.IsSelected))
            {
                readWith.TryAdd(consumer, new StreamEstimate(consumer, 0, $"exact: read with {lead}"));
            }
        }

        var rates = new[] { _options.RequestsPerSecond * 60, _options.RequestsPerMinute }.Where(r => r > 0).ToArray();
        return new SourceEstimate(
            [.. request.Streams.Distinct(StringComparer.Ordinal).Select(s => estimates.GetValueOrDefault(s) ?? readWith.GetValueOrDefault(s) ?? new StreamEstimate(s, 0, "exact: nothing to read in this run"))],
            probes,
            rates.Length == 0 ? null : rates.Min());
    }

    /// <summary>Checks the request against the catalog and gathers what every group reads with.</summary>
    private ReadContext ContextOf(ReadRequest request)
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
            Horizon = request.Horizon,
            Filter = RecordFilter.Parse(request.Filters, _catalog),
            DocumentDetails = _options.DocumentDetails,
        };
        return context;
    }

    /// <summary>
    /// For each company: one request per right the selected streams need (the rights `connect` probes), with the user
    /// token; a refusal names the right and the streams it keeps from loading. Companies that refused even their
    /// own card when the session opened are reported from those warnings.
    /// </summary>
    public override async ValueTask<IReadOnlyList<SourceCheck>> CheckAsync(IReadOnlyCollection<string> streams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var wanted = streams.Count == 0 ? StreamNames.All : streams;
        var probes = RightProbes.All.Where(p => p.Streams.Any(wanted.Contains)).ToList();
        var checks = new List<SourceCheck>();
        foreach (var company in _companies)
        {
            var title = Parsing.Lenient.Text(company.Row["title"]) is { Length: > 0 } name ? $" ({name})" : "";
            var subject = string.Create(CultureInfo.InvariantCulture, $"company {company.Id}{title}");
            var missing = new List<RightProbe>();
            foreach (var probe in probes)
            {
                if (!await RightProbes.AllowsAsync(_http, probe, company.Id, cancellationToken).ConfigureAwait(false))
                {
                    missing.Add(probe);
                }
            }

            checks.Add(missing.Count == 0
                ? new SourceCheck(subject, true, probes.Count == 0 ? "readable" : $"the user may {string.Join(", ", probes.Select(p => p.Purpose))}")
                : new SourceCheck(
                    subject,
                    false,
                    $"no right to {string.Join(", ", missing.Select(p => p.Purpose))} (403), so {string.Join(", ", missing.SelectMany(p => p.Streams).Where(wanted.Contains).Distinct())} "
                    + "would not load: grant the rights to this user in YCLIENTS or leave those streams out of the pipeline"));
        }

        checks.AddRange(_connectWarnings.Where(w => w.Contains("skipped", StringComparison.Ordinal))
            .Select(w => new SourceCheck("companies", false, w)));
        return checks;
    }

    /// <summary>The companies' zone, known since the session opened; null when one has none or they differ.</summary>
    public override ValueTask<string?> TimeZoneAsync(CancellationToken cancellationToken = default)
    {
        var zones = _companies.Select(c => c.Clock.IanaId).Distinct(StringComparer.Ordinal).ToList();
        return ValueTask.FromResult(zones.Count == 1 ? zones[0] : null);
    }

    public override async IAsyncEnumerable<SourceMessage> ReadReportAsync(ReportRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = _reports.Find(request.ReportType)
            ?? throw MyBiException.Config(
                $"YCLIENTS has no report type '{request.ReportType}' (report types: {string.Join(", ", ReportNames.All)}).");
        if (request.To < request.From)
        {
            throw MyBiException.Config($"The period ends ({request.To:yyyy-MM-dd}) before it starts ({request.From:yyyy-MM-dd}).");
        }

        var reader = ReportReaders.For(report.Name);
        var context = new ReadContext
        {
            Http = _http,
            Options = _options,
            Catalog = _catalog,
            State = SyncState.From(null),
            Selected = reader.Selected,
            Observer = _context.Observer,
            Now = _context.TimeProvider.GetUtcNow(),
            From = request.From,
            To = request.To,

            // An export of documents is asked for explicitly: it includes those only transactions name.
            DocumentDetails = true,
        };

        foreach (var warning in _connectWarnings)
        {
            yield return new SourceWarning(warning);
        }

        await foreach (var message in PerCompanyAsync(report.Name, company => ReportRowsAsync(reader, report, context, company, cancellationToken), null, context, cancellationToken).ConfigureAwait(false))
        {
            yield return message;
        }
    }

    /// <summary>Adds the local time columns to every row of a company, whichever group shaped it.</summary>
    private async IAsyncEnumerable<SourceMessage> WithLocalTimes(
        IAsyncEnumerable<SourceMessage> messages, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in messages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (message is SourceRecord record)
            {
                AddLocalTimes(record, company);
            }

            yield return message;
        }
    }

    private void AddLocalTimes(SourceRecord record, CompanyInfo company)
    {
        if (_catalog.Contains(record.Stream) && _catalog[record.Stream].LocalTimes.Count > 0)
        {
            RowShaper.AddLocalTimes(record.Data, _catalog[record.Stream], company.Clock);
        }
    }

    public override WebhookRows WebhookRows(WebhookEvent webhookEvent, JsonObject body, IReadOnlyCollection<string> streams)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(streams);
        if (_companies.FirstOrDefault(c => c.Id == webhookEvent.CompanyId) is not { } company)
        {
            // An event of a company the pipeline does not load never touches its tables.
            return Abstractions.Webhooks.WebhookRows.Skip(string.Create(CultureInfo.InvariantCulture, $"company {webhookEvent.CompanyId} is not loaded by this pipeline"));
        }

        var selected = WebhookEnvelope.StreamsOf(webhookEvent.Resource).Where(streams.Contains).ToHashSet(StringComparer.Ordinal);
        var context = new ReadContext
        {
            Http = _http,
            Options = _options,
            Catalog = _catalog,
            State = SyncState.From(null),
            Selected = selected,
            Observer = _context.Observer,
            Now = _context.TimeProvider.GetUtcNow(),
        };
        var result = WebhookShaper.Rows(webhookEvent, body, context, company);

        // The same local clock and day a pull adds, so a webhook-applied row counts in the views like a pulled one.
        foreach (var record in result.Rows)
        {
            AddLocalTimes(record, company);
        }

        return result;
    }

    public override async ValueTask<WebhookRows> WebhookRowsAsync(WebhookEvent webhookEvent, JsonObject body, IReadOnlyCollection<string> streams, CancellationToken cancellationToken = default)
    {
        var result = WebhookRows(webhookEvent, body, streams);
        if (result.Skipped is not null || webhookEvent.Resource != "record" || !streams.Contains(StreamNames.Visits)
            || body["data"] is not JsonObject record || _companies.FirstOrDefault(c => c.Id == webhookEvent.CompanyId) is not { } company)
        {
            return result;
        }

        var context = new ReadContext
        {
            Http = _http,
            Options = _options,
            Catalog = _catalog,
            State = SyncState.From(null),
            Selected = new HashSet<string>([StreamNames.Visits], StringComparer.Ordinal),
            Observer = _context.Observer,
            Now = _context.TimeProvider.GetUtcNow(),
        };
        if (await WebhookVisits.RowAsync(context, company, record, cancellationToken).ConfigureAwait(false) is not { } visit)
        {
            return result;
        }

        AddLocalTimes(visit, company);
        return Abstractions.Webhooks.WebhookRows.Of([.. result.Rows, visit]);
    }

    public override async ValueTask<IReadOnlyList<WebhookSubscription>> WebhookSubscriptionsAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<WebhookSubscription>();
        foreach (var company in _companies)
        {
            list.Add(HooksSettings.ToSubscription(company.Id, await HooksSettings.ReadAsync(_http, company.Id, cancellationToken).ConfigureAwait(false)));
        }

        return list;
    }

    public override async ValueTask<IReadOnlyList<WebhookSubscription>> SubscribeWebhooksAsync(string url, IReadOnlyCollection<string> streams, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        ArgumentNullException.ThrowIfNull(streams);

        // Every company is read and checked before any is written, so a full list in one leaves the others as they were.
        var planned = new List<(long Company, JsonObject Settings)>();
        foreach (var company in _companies)
        {
            var current = await HooksSettings.ReadAsync(_http, company.Id, cancellationToken).ConfigureAwait(false);
            planned.Add((company.Id, HooksSettings.WithUrl(current, company.Id, url, streams)));
        }

        var list = new List<WebhookSubscription>();
        foreach (var (companyId, settings) in planned)
        {
            list.Add(HooksSettings.ToSubscription(companyId, await HooksSettings.WriteAsync(_http, companyId, settings, cancellationToken).ConfigureAwait(false)));
        }

        return list;
    }

    /// <summary>What the HTTP client noticed while reading (text values cut to max_text_length).</summary>
    private IEnumerable<SourceWarning> TakeHttpWarnings() =>
        _http.TakeWarnings().Select(w => new SourceWarning(w.Message, w.Stream));

    public override ValueTask DisposeAsync()
    {
        _http.Dispose();
        return base.DisposeAsync();
    }

    /// <summary>The report's rows of one company, shaped with the report's schema and kept to the period.</summary>
    private static async IAsyncEnumerable<SourceMessage> ReportRowsAsync(
        ReportReader reader, ReportDefinition report, ReadContext context, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = context.From!.Value;
        var to = context.To!.Value;
        await foreach (var message in reader.ReadAsync(context, company, cancellationToken).ConfigureAwait(false))
        {
            if (message is not SourceRecord record)
            {
                yield return message;
                continue;
            }

            var row = RowShaper.Shape(record.Data, report.DateTimePaths, company);
            if (report.InPeriod(row, from, to))
            {
                yield return new SourceRecord(report.Name, row);
            }
        }
    }

    /// <summary>
    /// Runs a read company by company. A company the user may not read (or that is gone) yields a warning when there
    /// are others; the read fails only when no company could be read. <paramref name="afterCompany"/> gives the
    /// message that closes each company read in full (a checkpoint), if any.
    /// </summary>
    private async IAsyncEnumerable<SourceMessage> PerCompanyAsync(
        string name,
        Func<CompanyInfo, IAsyncEnumerable<SourceMessage>> read,
        Func<SourceMessage>? afterCompany,
        ReadContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CompanyAccessException? firstFailure = null;
        var loaded = 0;
        foreach (var company in _companies)
        {
            CompanyAccessException? failure = null;
            await using (var messages = read(company).GetAsyncEnumerator(cancellationToken))
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

                    foreach (var warning in TakeHttpWarnings())
                    {
                        yield return warning;
                    }

                    yield return message;
                }
            }

            foreach (var warning in TakeHttpWarnings())
            {
                yield return warning;
            }

            if (failure is not null)
            {
                context.RefusedCompanies.Add(company.Id);
                firstFailure ??= failure;
                if (_companies.Count > 1)
                {
                    yield return new SourceWarning($"{failure.Message} The other companies are still loaded.", failure.Stream ?? name);
                }

                continue;
            }

            loaded++;
            context.ReadCompanies.Add(company.Id);
            if (afterCompany is not null)
            {
                yield return afterCompany();
            }
        }

        if (loaded == 0 && firstFailure is not null)
        {
            throw firstFailure.ToPublic();
        }
    }
}
