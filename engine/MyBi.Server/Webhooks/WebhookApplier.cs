using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Webhooks;
using MyBi.Engine.Normalization;
using MyBi.Engine.Running;
using MyBi.Engine.Schema;
using MyBi.Engine.Sources;
using MyBi.Engine.State;
using MyBi.Hosting;

namespace MyBi.Server.Webhooks;

/// <summary>
/// Applies committed events to the tables a pull fills, through the run's <see cref="BatchWriter"/>: per object only
/// the newest event of a batch counts, and an event older than the row already stored (by the stream's cursor
/// field, last_change_date) changes nothing. Rows come from the connector's own normalization of the object.
/// </summary>
internal sealed class WebhookApplier : IAsyncDisposable
{
    private const int GuardChunk = 500;
    private static readonly TimeSpan s_sessionRetry = TimeSpan.FromSeconds(30);

    private readonly LoadedPipeline _pipeline;
    private readonly Destination _destination;
    private readonly TableSchema _events;
    private readonly TimeProvider _timeProvider;
    private readonly Action<string> _log;
    private readonly Dictionary<string, CompiledStream> _streams;
    private readonly WebhookFilter _filter;
    private SourceSession? _session;
    private long _sessionFailedAt = long.MinValue;

    public WebhookApplier(LoadedPipeline pipeline, Destination destination, TableSchema events, TimeProvider timeProvider, Action<string> log)
    {
        _pipeline = pipeline;
        _destination = destination;
        _events = events;
        _timeProvider = timeProvider;
        _log = log;
        var connector = pipeline.Connector;
        var selected = pipeline.SelectedStreams.Count == 0 ? connector.Streams.Select(s => s.Name).ToList() : pipeline.SelectedStreams;
        var job = pipeline.CreateSyncJob();
        var transformed = job.Transforms.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var transform in job.Transforms.Values)
        {
            transform.Dispose();
        }

        // A stream a rule reshapes lands in the rule's tables; webhooks leave it to the pull.
        _streams = PipelineRunner.SelectStreams(connector, selected.Where(s => !transformed.Contains(s)).ToList())
            .ToDictionary(s => s.Table.Name, StringComparer.Ordinal);
        _filter = new WebhookFilter(pipeline.Definition.Source.Filters, _streams);
    }

    /// <summary>The tables a webhook run writes, with their owners.</summary>
    public IReadOnlyList<(TableSchema Table, TableOwner Owner)> Tables(string pipeline) =>
        [.. _streams.Values.Select(s => (s.Table, TableOwner.Stream(pipeline, s.Table.Name))), (_events, TableOwner.Stream(pipeline, _events.Name))];

    /// <summary>Events whose tables could not be written yet (the source could not be reached to open a session).</summary>
    public bool Backlog { get; private set; }

    /// <summary>
    /// Applies the events and marks them processed; false when they were left for later.
    /// <para>
    /// A value the destination says it cannot hold (<see cref="Destination.ValueProblem"/>) sets its event aside
    /// before anything is written. When the warehouse still refuses the batch's data (a
    /// <see cref="FailureKind.Config"/> error: a constraint only the server knows of), halves are applied apart
    /// until each refused event is alone, and those events are marked with the warehouse's reason and kept in the
    /// quarantine while the others are applied: an event is not sent again, and failing the batch would hold back
    /// every event after it at every attempt. When no event of the batch is taken, the warehouse itself refuses (a
    /// privilege, a setting), and the error stands: the events wait, committed.
    /// </para>
    /// </summary>
    public async ValueTask<bool> ApplyAsync(EngineRun run, IReadOnlyList<ReceivedEvent> events, CancellationToken cancellationToken)
    {
        // The connector's rows of each event, kept while halves are tried again (a record's visit is a request).
        var shaped = new Dictionary<ReceivedEvent, WebhookRows>(ReferenceEqualityComparer.Instance);
        var refused = new List<(ReceivedEvent Event, MyBiException Error)>();
        var (applied, finished) = await ApplyOrIsolateAsync(run, events, shaped, refused, cancellationToken).ConfigureAwait(false);
        if (!finished)
        {
            return false;
        }

        if (refused.Count > 0)
        {
            if (applied == 0)
            {
                ExceptionDispatchInfo.Throw(refused[0].Error);
            }

            await SetAsideAsync(run, refused, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Applies the events as one batch, or, when the warehouse refuses its data, each half apart, down to single
    /// events, which are then refused; how many events were applied, and false when they were left for later.
    /// </summary>
    private async ValueTask<(int Applied, bool Finished)> ApplyOrIsolateAsync(
        EngineRun run, IReadOnlyList<ReceivedEvent> events, Dictionary<ReceivedEvent, WebhookRows> shaped, List<(ReceivedEvent, MyBiException)> refused, CancellationToken cancellationToken)
    {
        try
        {
            return await ApplyBatchAsync(run, events, shaped, cancellationToken).ConfigureAwait(false) ? (events.Count, true) : (0, false);
        }
        catch (MyBiException ex) when (ex.Kind == FailureKind.Config && events.Count == 1)
        {
            refused.Add((events[0], ex));
            return (0, true);
        }
        catch (MyBiException ex) when (ex.Kind == FailureKind.Config)
        {
            var applied = 0;
            var half = events.Count / 2;
            foreach (var part in new[] { events.Take(half).ToList(), events.Skip(half).ToList() })
            {
                var (done, finished) = await ApplyOrIsolateAsync(run, part, shaped, refused, cancellationToken).ConfigureAwait(false);
                applied += done;
                if (!finished)
                {
                    return (applied, false);
                }
            }

            return (applied, true);
        }
    }

    /// <summary>Marks events the warehouse refused as processed, with its reason, and keeps their bodies in the quarantine.</summary>
    private async ValueTask SetAsideAsync(EngineRun run, List<(ReceivedEvent Event, MyBiException Error)> refused, CancellationToken cancellationToken)
    {
        var quarantined = refused.Select(r => new QuarantinedRow(r.Event.EventId, $"the warehouse refused its rows: {r.Error.Message}", r.Event.BodyText)).ToList();
        await run.Writer.QuarantineAsync("webhooks", quarantined, cancellationToken).ConfigureAwait(false);
        var marked = refused.Select(r => r.Event.ToRow(applied: true, $"not applied: the warehouse refused its rows: {r.Error.Message}")).ToArray();
        await _destination.WriteAsync(new RecordBatch(_events, marked), WriteMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> ApplyBatchAsync(EngineRun run, IReadOnlyList<ReceivedEvent> events, Dictionary<ReceivedEvent, WebhookRows> shaped, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return true;
        }

        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            Backlog = true;
            return false;
        }

        // One body delivered twice is one event, as in the raw table: each event gets one mark and one note.
        events = [.. events.DistinctBy(e => e.EventId, StringComparer.Ordinal)];

        // By reference: an event is a record whose value equality would hash its whole body.
        var notes = new Dictionary<ReceivedEvent, string?>(ReferenceEqualityComparer.Instance);
        var winners = new List<ReceivedEvent>();
        foreach (var group in events.Select((e, i) => (e, i)).GroupBy(x => (x.e.Event.Resource, x.e.Event.ResourceId)))
        {
            var ordered = group.OrderBy(x => Moment(x.e)).ThenBy(x => x.e.ReceivedAt).ThenBy(x => x.i).Select(x => x.e).ToList();
            foreach (var older in ordered.Take(ordered.Count - 1))
            {
                notes[older] = "superseded by a newer event of the same object";
            }

            winners.Add(ordered[^1]);
        }

        var stored = await StoredStampsAsync(winners, cancellationToken).ConfigureAwait(false);
        var deleted = await DeletedAtAsync(winners, cancellationToken).ConfigureAwait(false);
        var rows = new Dictionary<string, List<object?[]>>(StringComparer.Ordinal);
        var quarantined = new List<QuarantinedRow>();
        var removals = new List<(ReceivedEvent Event, TableSchema Table, RowCondition[] Key)>();
        foreach (var received in winners)
        {
            var webhookEvent = received.Event;
            if (Removal(webhookEvent) is { Count: > 0 } removal)
            {
                removals.AddRange(removal.Select(r => (received, r.Table, r.Key)));
                continue;
            }

            if (!webhookEvent.Applicable)
            {
                notes[received] = $"events of '{webhookEvent.Resource}' with status '{webhookEvent.Status}' are stored only";
                continue;
            }

            if (webhookEvent.Stamp is { } stamp && stored.TryGetValue((webhookEvent.Resource, webhookEvent.ResourceId), out var current) && current > stamp)
            {
                notes[received] = "older than the stored row";
                continue;
            }

            if (webhookEvent.Stamp is { } changed && deleted.TryGetValue((webhookEvent.Resource, webhookEvent.ResourceId), out var deletedAt) && deletedAt >= changed)
            {
                // The delete removed the row, so no stored stamp is left to compare with: the delete event itself is.
                notes[received] = "older than the delete of the same object";
                continue;
            }

            if (!shaped.TryGetValue(received, out var result))
            {
                shaped[received] = result = await session.WebhookRowsAsync(webhookEvent, received.ParseBody(), _streams.Keys.ToList(), cancellationToken).ConfigureAwait(false);
            }

            notes[received] = result.Skipped;
            var normalized = new List<(string Stream, object?[] Row)>(result.Rows.Count);
            string? unfit = null;
            foreach (var record in result.Rows)
            {
                if (!_streams.TryGetValue(record.Stream, out var stream))
                {
                    continue;
                }

                if (RecordNormalizer.KeyProblem(stream, record.Data) is { } problem)
                {
                    quarantined.Add(new QuarantinedRow($"{received.EventId} {record.Stream}", $"unusable key: {problem}", record.Data.ToJsonString()));
                    notes[received] ??= $"a row of {record.Stream} was set aside: unusable key: {problem}";
                    continue;
                }

                // A value that does not fit its column, or that the warehouse cannot hold, is this event's own
                // fault. A pull fails its run on it and is run again; an event is not sent again, and failing its
                // batch would hold back every event after it at every attempt. Its rows are set aside with the
                // reason, and the others go on. Asked before anything is written, so that no table gets half of it.
                string? refused;
                try
                {
                    var row = RecordNormalizer.Normalize(stream, record.Data);
                    refused = Refusal(stream, record.Data, row);
                    if (refused is null)
                    {
                        normalized.Add((record.Stream, row));
                        continue;
                    }
                }
                catch (MyBiException ex) when (ex.Kind == FailureKind.System)
                {
                    refused = ex.Message;
                }

                quarantined.Add(new QuarantinedRow($"{received.EventId} {record.Stream}", refused, record.Data.ToJsonString()));
                unfit ??= refused;
            }

            if (unfit is not null)
            {
                // None of its rows, so that a record and its services never disagree.
                notes[received] = $"not applied: {unfit}";
                continue;
            }

            if (!_filter.IsEmpty && _filter.Reject(normalized) is { } rejected)
            {
                notes[received] = rejected;
                continue;
            }

            foreach (var (name, row) in normalized)
            {
                if (!rows.TryGetValue(name, out var list))
                {
                    rows[name] = list = [];
                }

                list.Add(row);
            }
        }

        foreach (var (received, table, key) in removals)
        {
            // As the next full reload of the table would: the object is gone from the source, so the row goes too.
            var removed = await _destination.DeleteAsync(table, key, cancellationToken).ConfigureAwait(false);
            notes[received] = string.Create(CultureInfo.InvariantCulture, $"deleted in the source: {removed} row(s) removed from {table.Name}");
        }

        var batches = rows.Select(kv => new RecordBatch(_streams[kv.Key].Table, Deduplicate(_streams[kv.Key], kv.Value))).ToList();
        if (!await run.Writer.WriteAsync(batches, cancellationToken).ConfigureAwait(false))
        {
            _log($"{_pipeline.Definition.Name}: the plan's row quota is spent; webhook events are stored but not applied.");
            return false;
        }

        await run.Writer.QuarantineAsync("webhooks", quarantined, cancellationToken).ConfigureAwait(false);
        var marked = events.Select(e => e.ToRow(applied: true, notes.GetValueOrDefault(e))).ToArray();
        await _destination.WriteAsync(new RecordBatch(_events, marked), WriteMode.Merge, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Why the warehouse would refuse a normalized row, as its write would say it; null when it takes it.</summary>
    private string? Refusal(CompiledStream stream, JsonObject data, object?[] row)
    {
        var columns = stream.Table.Columns;
        for (var c = 0; c < row.Length; c++)
        {
            if (row[c] is { } value && _destination.ValueProblem(columns[c], value) is { } problem)
            {
                return $"the warehouse refused its rows: table '{stream.Table.Name}', row {stream.KeyOf(data)}: the value of '{columns[c].Name}', {problem}";
            }
        }

        return null;
    }

    /// <summary>Applies events committed earlier but not processed (the process stopped, or the source was away).</summary>
    public async ValueTask RecoverAsync(EngineRun run, Func<string, string, DateTimeOffset, ReceivedEvent?> decode, CancellationToken cancellationToken)
    {
        Backlog = false;
        var sql = $"SELECT \"event_id\", \"received_at\", \"payload\" FROM \"{_events.Name}\" WHERE \"applied\" = false ORDER BY \"received_at\", \"event_id\"";
        while (true)
        {
            var result = await _destination.QueryAsync(sql, GuardChunk, cancellationToken).ConfigureAwait(false);
            var events = new List<ReceivedEvent>();
            foreach (var row in result.Rows)
            {
                // The stored id is kept: a destination may store the JSON reformatted, which hashes differently.
                if (decode(row[0]?.ToString() ?? "", row[2]?.ToString() ?? "", AsInstant(row[1]) ?? _timeProvider.GetUtcNow()) is { } received)
                {
                    events.Add(received);
                }
            }

            if (events.Count == 0 || !await ApplyAsync(run, events, cancellationToken).ConfigureAwait(false) || !result.Truncated)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<SourceSession?> SessionAsync(CancellationToken cancellationToken)
    {
        if (_session is not null)
        {
            return _session;
        }

        if (_sessionFailedAt != long.MinValue && _timeProvider.GetElapsedTime(_sessionFailedAt) < s_sessionRetry)
        {
            return null;
        }

        try
        {
            var context = new SourceContext
            {
                Config = _pipeline.Definition.Source.Config,
                BaseDirectory = _pipeline.Definition.BaseDirectory,
                TimeProvider = _timeProvider,
                RateBudgets = ProcessRateBudgets.Shared,
            };
            _session = await _pipeline.Connector.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
            return _session;
        }
        catch (MyBiException ex)
        {
            // The events are committed; they are applied once the source answers again.
            _sessionFailedAt = _timeProvider.GetTimestamp();
            _log($"{_pipeline.Definition.Name}: webhook events are stored but wait to be applied: {_pipeline.Redactor.Apply(ex.Message)}");
            return null;
        }
    }

    /// <summary>
    /// What a delete event removes: the rows of the object in the tables its kind feeds that keep no deleted flag
    /// (clients and the catalogues, which a pull reloads whole), found by the company and the object's id.
    /// Tables with a deleted flag (records, transactions) are marked by the connector's rows instead.
    /// </summary>
    private List<(TableSchema Table, RowCondition[] Key)>? Removal(WebhookEvent webhookEvent)
    {
        if (webhookEvent.Status != "delete" || webhookEvent.CompanyId is not { } company
            || !long.TryParse(webhookEvent.ResourceId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        var removal = new List<(TableSchema, RowCondition[])>();
        foreach (var stream in RemovableStreams(webhookEvent.Resource))
        {
            var key = stream.Table.PrimaryKey;
            if (key.SequenceEqual(["company_id", "id"], StringComparer.Ordinal))
            {
                removal.Add((stream.Table, [new RowCondition("company_id", ConditionOperator.Equal, company), new RowCondition("id", ConditionOperator.Equal, id)]));
            }
            else if (key.SequenceEqual(["id"], StringComparer.Ordinal) && stream.Table.IndexOf("company_id") >= 0)
            {
                removal.Add((stream.Table, [new RowCondition("company_id", ConditionOperator.Equal, company), new RowCondition("id", ConditionOperator.Equal, id)]));
            }
        }

        return removal;
    }

    /// <summary>The loaded tables a delete of this kind removes rows from: top-level tables that keep no deleted flag.</summary>
    private IEnumerable<CompiledStream> RemovableStreams(string resource) =>
        _pipeline.Connector.WebhookStreams(resource)
            .Select(name => _streams.GetValueOrDefault(name))
            .OfType<CompiledStream>()
            .Where(stream => stream.Descriptor.Parent is null && stream.Table.IndexOf("deleted") < 0);

    private bool RemovesRows(string resource) => RemovableStreams(resource).Any();

    /// <summary>
    /// The cursor value of the rows already stored for the objects of the events, where the object's table has one
    /// integer key and a cursor field (records by id and last_change_date).
    /// </summary>
    private async ValueTask<Dictionary<(string, string), DateTimeOffset>> StoredStampsAsync(IReadOnlyList<ReceivedEvent> events, CancellationToken cancellationToken)
    {
        var stamps = new Dictionary<(string, string), DateTimeOffset>();
        foreach (var byResource in events.Where(e => e.Event.Applicable && e.Event.Stamp is not null).GroupBy(e => e.Event.Resource))
        {
            var stream = _pipeline.Connector.WebhookStreams(byResource.Key).Select(s => _streams.GetValueOrDefault(s)).FirstOrDefault(s => s is not null);
            if (stream?.Descriptor.CursorField is not { } cursor || stream.Table.PrimaryKey.Count != 1
                || stream.Table.Columns[stream.Table.IndexOf(stream.Table.PrimaryKey[0])].Type != ColumnType.Int64
                || !await _destination.TableExistsAsync(stream.Table.Name, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var ids = byResource.Select(e => long.TryParse(e.Event.ResourceId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (long?)null)
                .OfType<long>().Distinct().ToList();
            foreach (var chunk in ids.Chunk(GuardChunk))
            {
                // The ids are parsed integers, never text from the body.
                var sql = $"SELECT \"{stream.Table.PrimaryKey[0]}\", \"{cursor}\" FROM \"{stream.Table.Name}\" WHERE \"{stream.Table.PrimaryKey[0]}\" IN ({string.Join(",", chunk.Select(i => i.ToString(CultureInfo.InvariantCulture)))})";
                var result = await _destination.QueryAsync(sql, chunk.Length + 1, cancellationToken).ConfigureAwait(false);
                foreach (var row in result.Rows)
                {
                    if (AsInstant(row[1]) is { } at && row[0] is not null)
                    {
                        stamps[(byResource.Key, Convert.ToString(row[0], CultureInfo.InvariantCulture)!)] = at;
                    }
                }
            }
        }

        return stamps;
    }

    /// <summary>
    /// When the object was in the state the event sends: its change time (last_change_date) or, for an event without
    /// one (a delete that carries no object), when it was received. Events of one object are ordered by it, so a
    /// state changed before a delete was received is older than the delete.
    /// </summary>
    private static DateTimeOffset Moment(ReceivedEvent received) => received.Event.Stamp ?? received.ReceivedAt;

    /// <summary>
    /// The newest delete already committed for each object of the events whose kind removes rows (clients and the
    /// catalogues, whose tables keep no deleted flag): the row is gone, so only the delete event tells that a state
    /// arriving later is older than it.
    /// </summary>
    private async ValueTask<Dictionary<(string, string), DateTimeOffset>> DeletedAtAsync(IReadOnlyList<ReceivedEvent> events, CancellationToken cancellationToken)
    {
        var moments = new Dictionary<(string, string), DateTimeOffset>();
        foreach (var byResource in events.Where(e => e.Event.Applicable && e.Event.Stamp is not null && e.Event.Status != "delete").GroupBy(e => e.Event.Resource))
        {
            if (!RemovesRows(byResource.Key) || byResource.Key.Any(c => c is '\'' or '\\'))
            {
                continue;
            }

            var ids = byResource.Select(e => long.TryParse(e.Event.ResourceId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (long?)null)
                .OfType<long>().Distinct().ToList();
            foreach (var chunk in ids.Chunk(GuardChunk))
            {
                // The ids are parsed integers and the kind holds no quote, never other text from the body.
                var sql = $"SELECT \"resource_id\", \"stamp\", \"received_at\" FROM \"{_events.Name}\" WHERE \"status\" = 'delete' AND \"resource\" = '{byResource.Key}' " +
                    $"AND \"resource_id\" IN ({string.Join(",", chunk.Select(i => $"'{i.ToString(CultureInfo.InvariantCulture)}'"))})";
                var result = await _destination.QueryAsync(sql, GuardChunk * 4, cancellationToken).ConfigureAwait(false);
                foreach (var row in result.Rows)
                {
                    if ((AsInstant(row[1]) ?? AsInstant(row[2])) is { } at && row[0] is not null)
                    {
                        var key = (byResource.Key, Convert.ToString(row[0], CultureInfo.InvariantCulture)!);
                        moments[key] = moments.TryGetValue(key, out var seen) && seen > at ? seen : at;
                    }
                }
            }
        }

        return moments;
    }

    private static DateTimeOffset? AsInstant(object? value) => value switch
    {
        DateTimeOffset at => at,
        DateTime { Kind: DateTimeKind.Local } at => new DateTimeOffset(at),
        DateTime at => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
        _ => null,
    };

    /// <summary>One row per key in a batch (two events of one record give the same service lines).</summary>
    private static object?[][] Deduplicate(CompiledStream stream, List<object?[]> rows)
    {
        var keys = stream.Table.PrimaryKey.Select(stream.Table.IndexOf).ToArray();
        var byKey = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            byKey[string.Join('\u001f', keys.Select(k => Convert.ToString(row[k], CultureInfo.InvariantCulture)))] = row;
        }

        return [.. byKey.Values];
    }
}
