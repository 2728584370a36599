namespace MyBi.Abstractions.Webhooks;

/// <summary>
/// Where the source sends its webhooks for one account (a YCLIENTS company), as the source keeps it: the URLs, whether
/// sending is on, and which kinds of events are sent.
/// </summary>
public sealed class WebhookSubscription
{
    /// <summary>The account the settings belong to, e.g. the company id.</summary>
    public required string Account { get; init; }

    /// <summary>Every URL the source sends to, ours and others', in the source's order.</summary>
    public required IReadOnlyList<string> Urls { get; init; }

    /// <summary>Whether the source sends at all.</summary>
    public required bool Active { get; init; }

    /// <summary>Each kind of event the source knows, on or off, by the source's own name of the kind.</summary>
    public required IReadOnlyDictionary<string, bool> Kinds { get; init; }
}
