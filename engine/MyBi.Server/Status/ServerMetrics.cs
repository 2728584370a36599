using System.Diagnostics.Metrics;
using MyBi.Server.Webhooks;

namespace MyBi.Server.Status;

/// <summary>
/// The webhook receivers' counts as instruments on the meter <c>MyBi.Server</c>, read when <c>/metrics</c> is
/// scraped: events committed and rejected since the process started, the entries waiting in each spool, and the
/// committed events waiting to be applied.
/// </summary>
internal sealed class ServerMetrics : IDisposable
{
    private readonly Meter _meter = new("MyBi.Server");

    public ServerMetrics(IReadOnlyCollection<WebhookPipeline> receivers)
    {
        _meter.CreateObservableCounter(
            "mybi.webhook.events",
            () => receivers.SelectMany(r => new[]
            {
                new Measurement<long>(r.Counters.Committed, new("pipeline", r.Name), new("outcome", "committed")),
                new Measurement<long>(r.Counters.RejectedCount, new("pipeline", r.Name), new("outcome", "rejected")),
            }),
            "{event}",
            "Webhook events received since the process started, by pipeline and outcome.");
        _meter.CreateObservableGauge(
            "mybi.webhook.spool.depth",
            () => receivers.Select(r => new Measurement<long>(r.SpoolDepth, new KeyValuePair<string, object?>("pipeline", r.Name))),
            "{event}",
            "Events kept in the local spool until the destination takes them.");
        _meter.CreateObservableGauge(
            "mybi.webhook.apply.waiting",
            () => receivers.Select(r => new Measurement<long>(r.Counters.WaitingToApply, new KeyValuePair<string, object?>("pipeline", r.Name))),
            "{event}",
            "Events committed and answered but not applied to the tables yet (applying gives way to answering during a burst).");
    }

    public void Dispose() => _meter.Dispose();
}
