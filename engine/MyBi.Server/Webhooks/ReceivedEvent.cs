using System.Text.Json.Nodes;
using MyBi.Abstractions.Webhooks;

namespace MyBi.Server.Webhooks;

/// <summary>One accepted body: its id, when it came, what it says, and the body itself.</summary>
internal sealed record ReceivedEvent(string EventId, DateTimeOffset ReceivedAt, WebhookEvent Event, JsonObject Body, string BodyText)
{
    public object?[] ToRow(bool applied, string? note) =>
    [
        EventId, ReceivedAt, Event.CompanyId, Event.Resource, Event.ResourceId, Event.Status, Event.Stamp, BodyText, applied, note,
    ];
}
