using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;
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

    /// <summary>
    /// Parses the body again; it parsed as an object when it was received, so it does again. The escape of a lone
    /// surrogate, which JSON allows and .NET refuses to read as a string, is read as U+FFFD here and at receipt: one
    /// odd character must not lose the event or stop the events after it from being applied. Only the reading
    /// changes: the text kept for the events table is the body as received.
    /// </summary>
    public JsonObject ParseBody() => (JsonObject)JsonNode.Parse(JsonEscapes.Readable(BodyText), documentOptions: DocumentOptions)!;

    /// <summary>
    /// A document over a body just received (its bytes, which are <paramref name="text"/> in UTF-8), to be read and
    /// disposed of before the request ends: it reads the bytes where they are, with pooled bookkeeping, instead of
    /// copying them into a tree the event does not keep.
    /// </summary>
    public static JsonDocument Parse(byte[] bytes, string text)
    {
        var readable = JsonEscapes.Readable(text);
        return ReferenceEquals(readable, text) ? JsonDocument.Parse(bytes, DocumentOptions) : JsonDocument.Parse(readable, DocumentOptions);
    }

    public object?[] ToRow(bool applied, string? note) =>
    [
        EventId, ReceivedAt, Event.CompanyId, Event.Resource, Event.ResourceId, Event.Status, Event.Stamp, BodyText, applied, note,
    ];
}
