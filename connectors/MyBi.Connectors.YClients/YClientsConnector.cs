using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Reports;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Configuration;
using MyBi.Connectors.YClients.Connect;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Reading;
using MyBi.Connectors.YClients.Reports;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients;

/// <summary>
/// The YCLIENTS connector (CRM of salons and clinics): records with their service lines and goods, visits,
/// clients, the catalogs, finance and goods transactions and documents, for one company or a whole chain; report
/// exports of documents, record consumables, goods and finance transactions, record categories and services; and a
/// connect dialog that logs in and returns the settings of a ready pipeline.
/// </summary>
public sealed class YClientsConnector : SourceConnector
{
    private readonly string _directory;
    private readonly Lazy<StreamCatalog> _catalog;
    private readonly Lazy<ReportCatalog> _reports;
    private readonly Lazy<IReadOnlyList<ViewDescriptor>> _views;
    private readonly Lazy<string> _configSchema;

    /// <summary>Creates the connector; its schemas are read from the folder of the plugin assembly.</summary>
    public YClientsConnector()
        : this(StreamCatalog.PluginDirectory)
    {
    }

    internal YClientsConnector(string directory)
    {
        _directory = directory;
        _catalog = new Lazy<StreamCatalog>(() => StreamCatalog.Load(_directory));
        _reports = new Lazy<ReportCatalog>(() => ReportCatalog.Load(_directory));
        _views = new Lazy<IReadOnlyList<ViewDescriptor>>(() => ViewCatalog.Load(_directory));
        _configSchema = new Lazy<string>(() => ReadFile("config.schema.json"));
    }

    /// <inheritdoc />
    public override string Name => "yclients";

    /// <inheritdoc />
    public override string ConfigSchema => _configSchema.Value;

    /// <inheritdoc />
    public override IReadOnlyList<StreamDescriptor> Streams => _catalog.Value.Definitions.Select(d => d.Descriptor).ToArray();

    /// <inheritdoc />
    public override IReadOnlyList<ViewDescriptor> Views => _views.Value;

    /// <inheritdoc />
    public override IReadOnlyList<ReportTypeDescriptor> ReportTypes => _reports.Value.Definitions.Select(d => d.Descriptor).ToArray();

    /// <summary>Base delay of the retry backoff (tests shorten it).</summary>
    internal TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public override async ValueTask<SourceSession> ConnectAsync(SourceContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = YClientsOptions.Parse(context.Config, Configuration.ConfigSchema.Of(ConfigSchema));
        var catalog = _catalog.Value;
        var http = new YClientsHttpClient(options, context.Observer, retryDelay: RetryDelay, budgets: context.RateBudgets);
        try
        {
            await http.AuthenticateAsync(cancellationToken).ConfigureAwait(false);
            var (companies, warnings) = await ResolveCompaniesAsync(http, options, cancellationToken).ConfigureAwait(false);
            return new YClientsSession(http, options, catalog, _reports.Value, companies, warnings, context);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override ValueTask<ConnectResult> ConnectInteractiveAsync(ConnectPrompt prompt, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return new ConnectDialog(prompt, Configuration.ConfigSchema.Of(ConfigSchema), RetryDelay).RunAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override bool SupportsWebhooks => true;

    /// <inheritdoc />
    public override Abstractions.Webhooks.WebhookEvent ReadWebhook(JsonObject body) => Webhooks.WebhookEnvelope.Read(body);

    /// <inheritdoc />
    public override IReadOnlyList<string> WebhookStreams(string resource) => Webhooks.WebhookEnvelope.StreamsOf(resource);

    private static async Task<(IReadOnlyList<CompanyInfo> Companies, IReadOnlyList<string> Warnings)> ResolveCompaniesAsync(
        YClientsHttpClient http, YClientsOptions options, CancellationToken cancellationToken)
    {
        var companies = new List<CompanyInfo>();
        var warnings = new List<string>();
        if (options.CompanyIds.Count == 0)
        {
            var request = new ApiRequest { Stream = StreamNames.Companies, Path = "/companies", Purpose = "list the user's companies" }.With("my", 1);
            await foreach (var page in Paginator.PagesAsync(http, request, 200, cancellationToken).ConfigureAwait(false))
            {
                foreach (var item in page)
                {
                    if (Lenient.Id(item["id"]) is { } id && companies.All(c => c.Id != id))
                    {
                        companies.Add(new CompanyInfo(id, item));
                    }
                }
            }

            if (companies.Count == 0)
            {
                throw MyBiException.Config("The YCLIENTS user manages no company: set company_id or company_ids in source.config.");
            }
        }
        else
        {
            CompanyAccessException? firstFailure = null;
            foreach (var id in options.CompanyIds)
            {
                var request = new ApiRequest
                {
                    Stream = StreamNames.Companies,
                    Path = string.Create(CultureInfo.InvariantCulture, $"/company/{id}"),
                    Purpose = "read the company",
                    CompanyId = id,
                    IsList = false,
                };
                try
                {
                    var envelope = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    if (envelope?.Data is JsonObject company)
                    {
                        companies.Add(new CompanyInfo(id, company));
                        continue;
                    }

                    firstFailure ??= new CompanyAccessException(id, $"company {id} not found in YCLIENTS: check company_id / company_ids in source.config.");
                    warnings.Add($"company {id} not found in YCLIENTS; it is skipped.");
                }
                catch (CompanyAccessException ex)
                {
                    firstFailure ??= ex;
                    warnings.Add($"{ex.Message} It is skipped.");
                }
            }

            if (companies.Count == 0)
            {
                throw firstFailure?.ToPublic() ?? MyBiException.Config("No YCLIENTS company to load: set company_id or company_ids in source.config.");
            }
        }

        foreach (var company in companies.Where(c => !c.Clock.IsKnown))
        {
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"company {company.Id} has no usable time zone in YCLIENTS; its local times are read as UTC."));
        }

        return (companies, warnings);
    }

    private string ReadFile(string name) => PluginFiles.Read(Path.Combine(_directory, name));
}
