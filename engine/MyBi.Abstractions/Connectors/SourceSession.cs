using MyBi.Abstractions.Streams;

namespace MyBi.Abstractions.Connectors;

/// <summary>An open, authenticated connection to a source.</summary>
public abstract class SourceSession : IAsyncDisposable
{
    /// <summary>
    /// Reads the requested streams. Rows of all streams may interleave. A <see cref="SourceCheckpoint"/>
    /// marks that everything before it may be committed together with the state it carries.
    /// </summary>
    public abstract IAsyncEnumerable<SourceMessage> ReadAsync(ReadRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Exports one report for a period: <see cref="SourceRecord"/>s whose stream is the report type, each a whole
    /// row as the report type's schema describes (the engine picks the job's fields).
    /// </summary>
    public virtual IAsyncEnumerable<SourceMessage> ReadReportAsync(Reports.ReportRequest request, CancellationToken cancellationToken = default) =>
        throw new Errors.MyBiException(Errors.FailureKind.Config, $"This connector has no report '{request?.ReportType}'.");

    /// <summary>
    /// Turns one webhook event into rows of the selected <paramref name="streams"/> with the same normalization as
    /// a pull, so that a later pull gives identical rows.
    /// </summary>
    public virtual Webhooks.WebhookRows WebhookRows(Webhooks.WebhookEvent webhookEvent, System.Text.Json.Nodes.JsonObject body, IReadOnlyCollection<string> streams) =>
        throw new Errors.MyBiException(Errors.FailureKind.Config, "This connector receives no webhooks.");

    /// <summary>
    /// <see cref="WebhookRows"/> for connectors that must ask the source while shaping an event (a row that sums up
    /// several objects, such as a visit of several records); by default the synchronous shaping.
    /// </summary>
    public virtual ValueTask<Webhooks.WebhookRows> WebhookRowsAsync(Webhooks.WebhookEvent webhookEvent, System.Text.Json.Nodes.JsonObject body, IReadOnlyCollection<string> streams, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(WebhookRows(webhookEvent, body, streams));

    /// <summary>What the source keeps about sending webhooks, one entry per account the session loads.</summary>
    public virtual ValueTask<IReadOnlyList<Webhooks.WebhookSubscription>> WebhookSubscriptionsAsync(CancellationToken cancellationToken = default) =>
        throw new Errors.MyBiException(Errors.FailureKind.Config, "This connector cannot read the source's webhook settings.");

    /// <summary>
    /// Adds <paramref name="url"/> to the source's webhook settings of every account the session loads (keeping the
    /// URLs already there) and turns on the kinds of events that feed <paramref name="streams"/>; returns the saved
    /// settings. A source that keeps no more URLs throws a Config error that says so.
    /// </summary>
    public virtual ValueTask<IReadOnlyList<Webhooks.WebhookSubscription>> SubscribeWebhooksAsync(string url, IReadOnlyCollection<string> streams, CancellationToken cancellationToken = default) =>
        throw new Errors.MyBiException(Errors.FailureKind.Config, "This connector cannot register webhooks at the source.");

    /// <summary>
    /// Checks with a few cheap requests that the session may read <paramref name="streams"/> (each account or company
    /// the source has), reading no data; a refusal is a finding, not an exception. None by default: opening the
    /// session was the whole check.
    /// </summary>
    public virtual ValueTask<IReadOnlyList<SourceCheck>> CheckAsync(IReadOnlyCollection<string> streams, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<SourceCheck>>([]);

    /// <summary>
    /// The IANA time zone of the accounts the session loads (e.g. "Europe/Moscow"), which schedules without a zone of
    /// their own follow; null when the source does not say or the accounts are in different zones.
    /// </summary>
    public virtual ValueTask<string?> TimeZoneAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<string?>(null);

    /// <summary>
    /// Estimates the requests a read of <paramref name="request"/> would send, per stream, spending at most a few cheap
    /// probe requests and loading nothing. Without a period the request carries the stored state (null before a first
    /// sync), and the estimate is of the incremental read it implies. By default every stream is unknown.
    /// </summary>
    public virtual ValueTask<SourceEstimate> EstimateAsync(Streams.ReadRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ValueTask.FromResult(new SourceEstimate(
            [.. request.Streams.Select(s => new StreamEstimate(s, null, "unknown: the connector gives no estimate"))], 0, null));
    }

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
