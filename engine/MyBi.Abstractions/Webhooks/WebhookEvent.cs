namespace MyBi.Abstractions.Webhooks;

/// <summary>
/// What one webhook body says happened, as the connector reads it: which object of which kind changed, how, and
/// when. The engine stores every event before it answers and applies it to the tables in the order of
/// <see cref="Stamp"/> per object.
/// </summary>
public sealed class WebhookEvent
{
    /// <summary>The kind of object (record, client, ...), as the source names it.</summary>
    public required string Resource { get; init; }

    /// <summary>The object's id, as text.</summary>
    public required string ResourceId { get; init; }

    /// <summary>The account (company) the object belongs to, when the body names one.</summary>
    public long? CompanyId { get; init; }

    /// <summary>create, update or delete.</summary>
    public required string Status { get; init; }

    /// <summary>
    /// When the object was changed, as the source stamps it; an event older than the row already stored never
    /// replaces it. Null when the body carries no stamp (arrival order decides).
    /// </summary>
    public DateTimeOffset? Stamp { get; init; }

    /// <summary>Whether the connector can turn the event into rows; other events are stored raw and counted only.</summary>
    public bool Applicable { get; init; } = true;
}
