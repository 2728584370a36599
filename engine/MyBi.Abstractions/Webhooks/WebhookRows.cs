using MyBi.Abstractions.Streams;

namespace MyBi.Abstractions.Webhooks;

/// <summary>The rows one webhook event gives, or why it gives none.</summary>
public sealed class WebhookRows
{
    private WebhookRows(IReadOnlyList<SourceRecord> rows, string? skipped)
    {
        Rows = rows;
        Skipped = skipped;
    }

    /// <summary>Rows of the selected streams, the same as a pull of the object would give.</summary>
    public IReadOnlyList<SourceRecord> Rows { get; }

    /// <summary>Why the event was not applied (an account the pipeline does not load, say); null when applied.</summary>
    public string? Skipped { get; }

    /// <summary>Rows to apply.</summary>
    public static WebhookRows Of(IReadOnlyList<SourceRecord> rows) => new(rows ?? throw new ArgumentNullException(nameof(rows)), null);

    /// <summary>An event kept raw only, with the reason.</summary>
    public static WebhookRows Skip(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new([], reason);
    }
}
