using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Streams;

namespace Example.Connector;

/// <summary>
/// Reads items changed since the stored cursor, page by page, and yields a checkpoint after every page: a run
/// stopped at any point resumes at the last page whose rows the engine committed.
/// </summary>
internal sealed class ExampleSession(ExampleApiClient client, ExampleOptions options, SourceObserver observer) : SourceSession
{
    /// <inheritdoc />
    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (!request.Streams.Contains(ExampleConnector.ItemsStream))
        {
            yield break;
        }

        // An explicit period wins over the stored cursor; a first run starts at start_date (or reads everything).
        var since = request.From is { } from
            ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : Cursor(request.State) ?? StartOf(options.StartDate);
        var cursor = since;
        for (int? page = 1; page is { } number;)
        {
            var answer = await client.GetPageAsync(ExampleConnector.ItemsStream, since, number, options.PageSize, cancellationToken).ConfigureAwait(false);
            observer.OnPage(ExampleConnector.ItemsStream, answer.Items.Count);
            foreach (var item in answer.Items)
            {
                if (item["updated_at"] is JsonValue value && value.TryGetValue<DateTimeOffset>(out var updated) && (cursor is null || updated > cursor))
                {
                    cursor = updated;
                }

                yield return new SourceRecord(ExampleConnector.ItemsStream, item);
            }

            // The cursor is inclusive: items changed at the same instant as the last one are read again, never lost.
            yield return new SourceCheckpoint(State(cursor));
            page = answer.NextPage;
        }
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        client.Dispose();
        return base.DisposeAsync();
    }

    private static DateTimeOffset? Cursor(JsonObject? state) =>
        state?[ExampleConnector.ItemsStream]?["updated_since"]?.GetValue<string>() is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None)
            : null;

    private static DateTimeOffset? StartOf(DateOnly? day) =>
        day is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    private static JsonObject State(DateTimeOffset? cursor) => new()
    {
        [ExampleConnector.ItemsStream] = new JsonObject
        {
            ["updated_since"] = cursor?.ToString("O", CultureInfo.InvariantCulture),
        },
    };
}
