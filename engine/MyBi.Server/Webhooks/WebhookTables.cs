using MyBi.Abstractions.Records;

namespace MyBi.Server.Webhooks;

/// <summary>The raw table every received event is committed to before it is answered.</summary>
internal static class WebhookTables
{
    public const int EventId = 0;
    public const int ReceivedAt = 1;
    public const int CompanyId = 2;
    public const int Resource = 3;
    public const int ResourceId = 4;
    public const int Status = 5;
    public const int Stamp = 6;
    public const int Payload = 7;
    public const int Applied = 8;
    public const int Note = 9;

    /// <summary><c>{connector}_webhook_events</c>, keyed by the hash of the body: a body delivered twice is one row.</summary>
    public static TableSchema Events(string connector) => new(
        $"{connector}_webhook_events",
        [
            new("event_id", ColumnType.String) { Description = "SHA-256 of the body as received; the same delivery twice is one event." },
            new("received_at", ColumnType.Timestamp) { Description = "When the event was received (UTC)." },
            new("company_id", ColumnType.Int64),
            new("resource", ColumnType.String),
            new("resource_id", ColumnType.String),
            new("status", ColumnType.String) { Description = "create, update or delete." },
            new("stamp", ColumnType.Timestamp) { Description = "The object's change time (last_change_date) that orders events of one object." },
            new("payload", ColumnType.Json) { Description = "The body as received.", Verbatim = true },
            new("applied", ColumnType.Boolean) { Description = "Whether the event was processed into the tables (or found older than them)." },
            new("note", ColumnType.String) { Description = "Why a processed event changed no row, if so." },
        ],
        ["event_id"])
    {
        Description = "Every webhook event received, committed before it was answered 200.",
    };
}
