using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Webhooks;

namespace MyBi.Server.Webhooks;

/// <summary>
/// One accepted body: its id, when it came, what it says, and the body itself as text. The parsed body is not kept:
/// events wait in memory between their commit and their applying (a burst's worth of them), and the text is a
/// fraction of the size of its node tree.
/// </summary>
internal sealed record ReceivedEvent(string EventId, DateTimeOffset ReceivedAt, WebhookEvent Event, string BodyText)
{
    /// <summary>The limits every body is parsed with, when received and again when applied.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Parses the body again; it parsed as an object when it was received, so it does again.</summary>
    public JsonObject ParseBody() => (JsonObject)JsonNode.Parse(BodyText, documentOptions: DocumentOptions)!;

    public object?[] ToRow(bool applied, string? note) =>
    [
        EventId, ReceivedAt, Event.CompanyId, Event.Resource, Event.ResourceId, Event.Status, Event.Stamp, BodyText, applied, note,
    ];
}
