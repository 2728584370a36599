using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MyBi.Engine.State;
using MyBi.Hosting;
using MyBi.Server.Webhooks;
using OpenTelemetry.Metrics;

namespace MyBi.Server.Status;

/// <summary>
/// The read-only status page at <c>/</c> (static HTML and script embedded in this assembly, drawn from small JSON
/// answers under <c>/api/</c>) and the Prometheus scrape at <c>/metrics</c>. Nothing on it changes anything; every
/// text from the destination is masked of the pipeline's secrets and cut, and the page puts it in as text only.
/// </summary>
internal sealed class StatusFeature : IServerFeature
{
    private const string ResourcePrefix = "MyBi.Server.Status.";
    private static readonly TimeSpan s_readTimeout = TimeSpan.FromSeconds(15);

    private static readonly Dictionary<string, (string Resource, string ContentType)> s_assets = new(StringComparer.Ordinal)
    {
        ["/"] = ("index.html", "text/html; charset=utf-8"),
        ["/status.js"] = ("status.js", "text/javascript; charset=utf-8"),
        ["/status.css"] = ("status.css", "text/css; charset=utf-8"),
    };

    private readonly Dictionary<string, LoadedPipeline> _pipelines;
    private readonly Dictionary<string, WebhookPipeline> _receivers;
    private readonly IJobSchedule? _schedule;
    private readonly TimeProvider _timeProvider;
    private readonly ServerMetrics _metrics;

    // One read of the destinations at a time: the page is for a person, and a DuckDB file should be held as briefly
    // and as rarely as possible.
    private readonly SemaphoreSlim _reads = new(1, 1);

    public StatusFeature(IEnumerable<LoadedPipeline> pipelines, IEnumerable<WebhookPipeline> receivers, IJobSchedule? schedule, TimeProvider timeProvider)
    {
        _pipelines = pipelines.ToDictionary(p => p.Definition.Name, StringComparer.Ordinal);
        _receivers = receivers.ToDictionary(r => r.Name, StringComparer.Ordinal);
        _schedule = schedule;
        _timeProvider = timeProvider;
        _metrics = new ServerMetrics(_receivers.Values);
    }

    /// <summary>
    /// The exporter behind <c>/metrics</c>: every <c>MyBi.*</c> meter in the process. Each scrape reads the values
    /// anew (no cached answer), so a count reads right after the event it counts.
    /// </summary>
    public static void AddServices(IServiceCollection services) =>
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter("MyBi.*").AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));

    public void Map(WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        foreach (var (path, asset) in s_assets)
        {
            app.MapGet(path, (HttpContext context) => ServeAssetAsync(context, asset.Resource, asset.ContentType));
        }

        app.MapGet("/api/pipelines", Pipelines);
        app.MapGet("/api/pipelines/{name}/runs", (HttpContext context, string name) => ReadAsync(context, name, (reader, ct) => reader.RunsAsync(ct), AddSchedule));
        app.MapGet("/api/pipelines/{name}/journal", (HttpContext context, string name, string? kind, int? limit) =>
            kind is not null && !StatusReader.SafeToken().IsMatch(kind)
                ? Task.FromResult(Json(new JsonObject { ["message"] = "kind is a journal kind such as sync, reconcile or error." }, StatusCodes.Status400BadRequest))
                : ReadAsync(context, name, (reader, ct) => reader.JournalAsync(kind, limit ?? 100, ct), null));
        app.MapGet("/api/pipelines/{name}/chart", (HttpContext context, string name) => ReadAsync(context, name, (reader, ct) => reader.ChartAsync(ct), null));
        app.MapGet("/api/pipelines/{name}/webhooks", (HttpContext context, string name) => ReadAsync(context, name, (reader, ct) => reader.WebhooksAsync(ct), AddSpool));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync()
    {
        _metrics.Dispose();
        return Task.CompletedTask;
    }

    private IResult Pipelines(HttpContext context)
    {
        Secure(context);
        var list = new JsonArray();
        foreach (var pipeline in _pipelines.Values.OrderBy(p => p.Definition.Name, StringComparer.Ordinal))
        {
            var definition = pipeline.Definition;
            var jobs = new JsonArray("sync");
            foreach (var report in definition.Reports)
            {
                jobs.Add("report:" + report.Name);
            }

            if (definition.Retention is not null)
            {
                jobs.Add("retention");
            }

            foreach (var scheduled in _schedule?.NextRuns(definition.Name) ?? [])
            {
                if (!jobs.Any(j => (string?)j == scheduled.Job))
                {
                    jobs.Add(scheduled.Job);
                }
            }

            list.Add(new JsonObject
            {
                ["name"] = definition.Name,
                ["connector"] = pipeline.ConnectorId,
                ["destination"] = pipeline.Redactor.Apply(definition.Destination.Type),
                ["streams"] = new JsonArray([.. pipeline.SelectedStreams.Select(s => (JsonNode?)JsonValue.Create(s))]),
                ["jobs"] = jobs,
                ["webhooks"] = _receivers.ContainsKey(definition.Name),
            });
        }

        return Json(new JsonObject
        {
            ["now"] = _timeProvider.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["scheduler"] = _schedule is not null,
            ["pipelines"] = list,
            ["journal_kinds"] = new JsonArray(JournalKinds.Sync, JournalKinds.Report, JournalKinds.Reconcile, JournalKinds.Retention, JournalKinds.Webhook, JournalKinds.Error, JournalKinds.Warning),
        });
    }

    private async Task<IResult> ReadAsync(HttpContext context, string name, Func<StatusReader, CancellationToken, Task<JsonObject>> read, Action<string, JsonObject>? complete)
    {
        Secure(context);
        if (!_pipelines.TryGetValue(name, out var pipeline))
        {
            return Results.NotFound();
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(s_readTimeout);
        JsonObject answer;
        try
        {
            await _reads.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                answer = await read(new StatusReader(pipeline), timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _reads.Release();
            }
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            answer = new JsonObject
            {
                ["available"] = false,
                ["locked"] = false,
                ["message"] = string.Create(CultureInfo.InvariantCulture, $"The destination did not answer within {s_readTimeout.TotalSeconds:0} s; the page asks again on the next refresh."),
            };
        }

        complete?.Invoke(name, answer);
        return Json(answer);
    }

    private void AddSchedule(string pipeline, JsonObject answer)
    {
        var next = new JsonObject();
        foreach (var job in _schedule?.NextRuns(pipeline) ?? [])
        {
            next[job.Job] = new JsonObject
            {
                ["cron"] = job.Cron,
                ["next_fire"] = job.NextFire?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            };
        }

        answer["next"] = next;
    }

    private void AddSpool(string pipeline, JsonObject answer)
    {
        if (_receivers.TryGetValue(pipeline, out var receiver))
        {
            answer["received"] = receiver.Counters.Committed;
            answer["rejected"] = receiver.Counters.RejectedCount;
            answer["spool"] = receiver.SpoolDepth;
            answer["waiting_to_apply"] = receiver.Counters.WaitingToApply;
        }
    }

    private static async Task ServeAssetAsync(HttpContext context, string resource, string contentType)
    {
        Secure(context);
        await using var stream = typeof(StatusFeature).Assembly.GetManifestResourceStream(ResourcePrefix + resource)
            ?? throw new InvalidOperationException($"The status page asset {resource} is not embedded.");
        context.Response.ContentType = contentType;
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The page loads only its own files and talks only to this server; nothing is cached.</summary>
    private static void Secure(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
    }

    private static IResult Json(JsonObject answer, int status = StatusCodes.Status200OK) =>
        Results.Text(answer.ToJsonString(), "application/json; charset=utf-8", System.Text.Encoding.UTF8, status);
}
