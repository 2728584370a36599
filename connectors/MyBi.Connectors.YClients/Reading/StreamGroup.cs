using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>
/// Streams read together from one family of endpoints (records feed records, record_services, record_goods,
/// visits and document ids). A group runs per company when one of its consumer streams is selected, and the
/// session checkpoints after each company's run.
/// </summary>
internal abstract class StreamGroup
{
    protected StreamGroup(string name, IReadOnlyList<string> consumers)
    {
        Name = name;
        Consumers = consumers;
    }

    /// <summary>The group's own stream (also its endpoint family).</summary>
    public string Name { get; }

    /// <summary>Streams whose selection makes the group run.</summary>
    public IReadOnlyList<string> Consumers { get; }

    public bool IsNeeded(ReadContext context) => Consumers.Any(c => context.IsSelected(c) && Feeds(c, context));

    /// <summary>Whether this group's read gives the consumer anything in this read (all of them by default).</summary>
    protected virtual bool Feeds(string consumer, ReadContext context) => true;

    /// <summary>Reads one company; rows, then nothing else (the session adds the checkpoint).</summary>
    public abstract IAsyncEnumerable<SourceMessage> ReadAsync(ReadContext context, CompanyInfo company, CancellationToken cancellationToken);

    /// <summary>
    /// The requests <see cref="ReadAsync"/> would send for one company, found with at most a few cheap probes sent
    /// through <c>context.Http</c>; unknown by default.
    /// </summary>
    public virtual Task<GroupEstimate> EstimateAsync(ReadContext context, CompanyInfo company, CancellationToken cancellationToken) =>
        Task.FromResult(new GroupEstimate(null, 0, "unknown"));

    /// <summary>The selected consumers.</summary>
    protected IReadOnlyList<string> SelectedConsumers(ReadContext context) => Consumers.Where(context.IsSelected).ToArray();

    /// <summary>The stream requests are counted for: the group's own when selected, else the first selected consumer.</summary>
    protected string Lead(ReadContext context) => context.IsSelected(Name) ? Name : SelectedConsumers(context)[0];

    /// <summary>State key of a consumer's cursor: documents keep one per feeding group.</summary>
    protected string CursorKey(string consumer) => consumer == StreamNames.Documents ? $"{StreamNames.Documents}:{Name}" : consumer;

    /// <summary>
    /// The next cursor of a consumer. A first read moves it to what was seen or the end of the window; an
    /// explicit period never moves an existing cursor (it may lie far in the past); an incremental read moves it
    /// to the latest change seen.
    /// </summary>
    protected static DateTimeOffset? NextCursor(DateTimeOffset? previous, bool explicitPeriod, DateTimeOffset? seen, DateTimeOffset windowEnd)
    {
        if (previous is null)
        {
            return Max(seen, windowEnd);
        }

        return explicitPeriod ? previous : Max(previous, seen);
    }

    /// <summary>Stores the next cursor of every selected consumer; documents wait for their own load.</summary>
    protected void AdvanceCursors(ReadContext context, CompanyInfo company, bool explicitPeriod, DateTimeOffset? seen, DateTimeOffset windowEnd)
    {
        foreach (var consumer in SelectedConsumers(context))
        {
            var key = CursorKey(consumer);
            var previous = context.State.Cursor(company.Key, key);
            if (NextCursor(previous, explicitPeriod, seen, windowEnd) is not { } next || next == previous)
            {
                continue;
            }

            if (consumer == StreamNames.Documents)
            {
                context.DeferDocumentCursor(company.Id, key, next);
            }
            else
            {
                context.State.Advance(company.Key, key, next);
            }
        }
    }

    /// <summary>The lead stream of this read (the one its requests are counted for).</summary>
    public string LeadOf(ReadContext context) => Lead(context);

    protected static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;
}

/// <summary>What one company's read of a group would cost.</summary>
/// <param name="Requests">The requests it would send, or null when unknown.</param>
/// <param name="Probes">The requests spent to find out.</param>
/// <param name="Basis">How the number was found.</param>
internal sealed record GroupEstimate(long? Requests, long Probes, string Basis);
