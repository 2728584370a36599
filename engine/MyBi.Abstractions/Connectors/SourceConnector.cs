using MyBi.Abstractions.Streams;

namespace MyBi.Abstractions.Connectors;

/// <summary>
/// The entry type of a connector plugin, named in its <c>plugin.json</c>. It must have a public
/// parameterless constructor. It describes the connector; <see cref="ConnectAsync"/> opens a session.
/// </summary>
public abstract class SourceConnector
{
    /// <summary>The connector id used in pipeline files (<c>source.connector</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The JSON Schema of <c>source.config</c>, as text.</summary>
    public abstract string ConfigSchema { get; }

    /// <summary>The streams this connector can read.</summary>
    public abstract IReadOnlyList<StreamDescriptor> Streams { get; }

    /// <summary>The analysis views this connector declares over its streams; none by default.</summary>
    public virtual IReadOnlyList<ViewDescriptor> Views => [];

    /// <summary>The report types this connector can export; none by default.</summary>
    public virtual IReadOnlyList<Reports.ReportTypeDescriptor> ReportTypes => [];

    /// <summary>
    /// Runs the connector's connect dialog (credentials, account choice) and returns the settings it found; the host
    /// writes the pipeline file from them. Connectors without one refuse with a Config error.
    /// </summary>
    public virtual ValueTask<ConnectResult> ConnectInteractiveAsync(ConnectPrompt prompt, TimeProvider timeProvider, CancellationToken cancellationToken = default) =>
        throw new Errors.MyBiException(Errors.FailureKind.Config, $"Connector '{Name}' has no connect dialog; write its pipeline file by hand.");

    /// <summary>
    /// Checks the configuration (credentials, reachability) and opens a session. Throws a
    /// <see cref="Errors.MyBiException"/> with a clear one-line message on failure.
    /// </summary>
    public abstract ValueTask<SourceSession> ConnectAsync(SourceContext context, CancellationToken cancellationToken = default);

    /// <summary>Whether the source pushes webhooks this connector reads (<see cref="ReadWebhook"/>).</summary>
    public virtual bool SupportsWebhooks => false;

    /// <summary>
    /// Reads the envelope of one webhook body without any request to the source. A body that is no event throws
    /// <see cref="Webhooks.WebhookFormatException"/> with the reason. The body is read where it was received and is
    /// valid only during the call: the event keeps values, never nodes of it.
    /// </summary>
    public virtual Webhooks.WebhookEvent ReadWebhook(System.Text.Json.Nodes.JsonObject body) =>
        throw new Errors.MyBiException(Errors.FailureKind.Config, $"Connector '{Name}' receives no webhooks.");

    /// <summary>The streams whose rows events of <paramref name="resource"/> change (the source's settings turn those kinds on).</summary>
    public virtual IReadOnlyList<string> WebhookStreams(string resource) => [];
}
