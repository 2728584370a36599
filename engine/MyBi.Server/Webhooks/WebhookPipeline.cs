using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Webhooks;
using MyBi.Engine.Running;
using MyBi.Engine.State;
using MyBi.Hosting;

namespace MyBi.Server.Webhooks;

/// <summary>
/// The webhook receiver of one pipeline. Requests hand their event to one writer loop and wait: the loop takes
/// whatever has queued up and commits it as one batch (one transaction in the destination, or one fsync of the
/// spool when the destination is away), then answers them all. After the commit the batch is applied to the tables
/// in a run of kind <c>webhooks</c>.
/// <para>
/// Commits go through a connection of their own, so a request never waits behind the applying of earlier events,
/// and applying gives way to answering: while requests wait for their commit, committed events are held back
/// (up to <see cref="MaxDeferred"/> of them, for at most <see cref="MaxDeferral"/>) and applied together once the
/// burst has passed. Nothing is lost by that: a committed event is in the raw table with <c>applied = false</c>
/// until it is applied.
/// </para>
/// </summary>
internal sealed class WebhookPipeline : IAsyncDisposable
{
    public const int MaxBatch = 1000;

    /// <summary>Committed events applied together at most (bigger batches cost fewer statements per event).</summary>
    public const int MaxApplyBatch = 5000;

    /// <summary>
    /// Committed events held in memory for applying; while requests wait, applying holds back until this many have
    /// gathered, and a full queue holds the commits back.
    /// </summary>
    public const int MaxDeferred = MaxApplyBatch * 2;

    /// <summary>How long a committed event is held back at most while requests keep coming.</summary>
    public static readonly TimeSpan MaxDeferral = TimeSpan.FromSeconds(10);

    // How often a held-back applier looks again whether the requests have stopped.
    private static readonly TimeSpan s_deferralCheck = TimeSpan.FromMilliseconds(5);

    // The receiver counts as busy until this long after the last arrival or commit: between two group commits the
    // queue is empty for a moment while the answered clients send their next events.
    private static readonly TimeSpan s_quiet = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_probeInterval = TimeSpan.FromSeconds(1);

    private readonly LoadedPipeline _pipeline;
    private readonly byte[] _secret;
    private readonly TimeProvider _timeProvider;
    private readonly Action<string> _log;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(100_000) { SingleReader = true });
    private readonly Destination _destination;
    private readonly Destination _commits;
    private readonly TableSchema _events;
    private readonly WebhookSpool _spool;
    private readonly WebhookApplier _applier;
    private Task? _loop;
    private long _lastActivity;
    private int _committing;

    public WebhookPipeline(LoadedPipeline pipeline, string secret, TimeProvider timeProvider, Action<string> log)
    {
        _pipeline = pipeline;
        _secret = Encoding.UTF8.GetBytes(secret);
        _timeProvider = timeProvider;
        _log = log;
        _destination = pipeline.CreateDestination();
        _commits = pipeline.CreateDestination();
        _events = WebhookTables.Events(pipeline.ConnectorId);
        _spool = new WebhookSpool(pipeline.Definition.BaseDirectory, pipeline.Definition.Name);
        _applier = new WebhookApplier(pipeline, _destination, _events, timeProvider, log);
    }

    public string Name => _pipeline.Definition.Name;

    /// <summary>The events waiting in the local spool for the destination.</summary>
    public long SpoolDepth => _spool.Entries;

    /// <summary>Events committed so far (destination or spool), rejected bodies, and events the connector does not apply.</summary>
    public WebhookCounters Counters { get; } = new();

    public void Start() => _loop = Task.Run(() => RunAsync(CancellationToken.None));

    /// <summary>Compares in constant time, so the answer's timing tells nothing about the secret.</summary>
    public bool SecretMatches(string candidate) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _secret);

    /// <summary>Reads the envelope with the connector; a body that is no event throws <see cref="WebhookFormatException"/>.</summary>
    public WebhookEvent Read(JsonObject body) => _pipeline.Connector.ReadWebhook(body);

    /// <summary>Queues an event and waits until it is committed; false when it could not be (the caller answers 503).</summary>
    public async ValueTask<bool> CommitAsync(ReceivedEvent received, CancellationToken cancellationToken)
    {
        var pending = new Pending(new SpoolEntry("e", received.EventId, received.ReceivedAt, received.BodyText, null), received);
        Volatile.Write(ref _lastActivity, _timeProvider.GetTimestamp());
        if (!_queue.Writer.TryWrite(pending))
        {
            return false;
        }

        // The request may go away; the event is still committed, as it may have been already.
        return await pending.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Keeps a rejected body for the quarantine; the request does not wait for it.</summary>
    public void Reject(string id, DateTimeOffset at, string body, string reason)
    {
        Counters.Rejected();
        _queue.Writer.TryWrite(new Pending(new SpoolEntry("q", id, at, body, reason), null));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await _applier.DisposeAsync().ConfigureAwait(false);
        await _destination.DisposeAsync().ConfigureAwait(false);
        await _commits.DisposeAsync().ConfigureAwait(false);
        _spool.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var spec = new RunSpec { Pipeline = Name, Kind = "webhooks", Redactor = _pipeline.Redactor, TimeProvider = _timeProvider };
                var run = await EngineRun.OpenAsync(_destination, spec, cancellationToken).ConfigureAwait(false);
                await run.StartAsync(_applier.Tables(Name), cancellationToken).ConfigureAwait(false);
                await run.ExecuteAsync(ct => ServeAsync(run, ct), cancellationToken).ConfigureAwait(false);
                return;
            }
#pragma warning disable CA1031 // The destination went away: events go to the spool until it is back, whatever the error was.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _log($"{Name}: the destination {_destination.DisplayName} does not take events ({_pipeline.Redactor.Apply(OneLine(ex))}); they are kept in {_spool.FilePath} until it does.");
                if (!await SpoolUntilBackAsync().ConfigureAwait(false))
                {
                    return;
                }

                _log($"{Name}: the destination answers again; replaying the spool.");
            }
        }
    }

    /// <summary>
    /// The loop while the destination takes events: replay what waits, then commit batch after batch. Applying runs
    /// beside it on the committed batches, so a request waits for the commit of its event only, and the commits
    /// grow to whatever arrived while a batch was being applied. An event committed but not yet applied when the
    /// loop stops is found again by its <c>applied = false</c> and applied at the next start.
    /// </summary>
    private async ValueTask<string?> ServeAsync(EngineRun run, CancellationToken cancellationToken)
    {
        if (_spool.HasEntries)
        {
            foreach (var chunk in _spool.Read(MaxBatch))
            {
                var replayed = chunk.Select(e => new Pending(e, e.Kind == "e" ? Decode(e.Id, e.Body, e.At) : null)).ToList();
                await CommitAsync(replayed, cancellationToken).ConfigureAwait(false);
                await QuarantineAsync(run, replayed, cancellationToken).ConfigureAwait(false);
                await _applier.ApplyAsync(run, Events(replayed), cancellationToken).ConfigureAwait(false);
            }

            _spool.Clear();
        }

        await _applier.RecoverAsync(run, (id, text, at) => Decode(id, text, at), cancellationToken).ConfigureAwait(false);

        // Bounded, so a destination slower to apply than to commit holds the commits back instead of filling memory.
        var committed = Channel.CreateBounded<Pending>(new BoundedChannelOptions(MaxDeferred) { SingleReader = true, SingleWriter = true });
        using var stopApplying = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var applying = Task.Run(() => ApplyLoopAsync(run, committed, stopApplying.Token), CancellationToken.None);
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (applying.IsFaulted)
                {
                    // Applying failed (the destination went away, most likely): leave through the same door as a failed commit.
                    await applying.ConfigureAwait(false);
                }

                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                Volatile.Write(ref _committing, 1);
                try
                {
                    await CommitAsync(batch, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    Spool(batch);
                    throw;
                }
                finally
                {
                    Volatile.Write(ref _lastActivity, _timeProvider.GetTimestamp());
                    Volatile.Write(ref _committing, 0);
                }

                Answer(batch, true);

                // Counted before they are handed over, so the applier can never take the count below zero.
                Counters.Waiting(batch.Count);
                var at = _timeProvider.GetTimestamp();
                foreach (var pending in batch)
                {
                    pending.CommittedAt = at;
                    await committed.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            // What was committed but not applied stays applied = false in the table, for the next start.
            committed.Writer.TryComplete();
            await stopApplying.CancelAsync().ConfigureAwait(false);
            await applying.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }

        committed.Writer.TryComplete();
        await applying.ConfigureAwait(false);
        return $"{Counters.Committed} webhook event(s) received, {Counters.RejectedCount} rejected.";
    }

    /// <summary>Applies committed batches as they come, taking together whatever has queued up.</summary>
    private async Task ApplyLoopAsync(EngineRun run, Channel<Pending> committed, CancellationToken cancellationToken)
    {
        try
        {
            var batch = new List<Pending>(MaxApplyBatch);
            while (await committed.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                await GiveWayAsync(committed, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                while (batch.Count < MaxApplyBatch && committed.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                await QuarantineAsync(run, batch, cancellationToken).ConfigureAwait(false);
                if (_applier.Backlog)
                {
                    await _applier.RecoverAsync(run, (id, text, at) => Decode(id, text, at), cancellationToken).ConfigureAwait(false);
                }

                await _applier.ApplyAsync(run, Events(batch), cancellationToken).ConfigureAwait(false);
                Counters.Waiting(-batch.Count);
            }
        }
        catch (Exception ex)
        {
            // The commit loop must not wait on a full channel nobody reads: closing it with the error stops it too.
            committed.Writer.TryComplete(ex);
            throw;
        }
    }

    /// <summary>
    /// Waits while requests keep coming or a commit runs, unless the held-back events reach <see cref="MaxDeferred"/>
    /// or the oldest of them has waited <see cref="MaxDeferral"/>: applying competes with committing for the CPU and
    /// the destination, and a request waits for its commit only.
    /// </summary>
    private async ValueTask GiveWayAsync(Channel<Pending> committed, CancellationToken cancellationToken)
    {
        while ((_queue.Reader.Count > 0 || Volatile.Read(ref _committing) == 1 || _timeProvider.GetElapsedTime(Volatile.Read(ref _lastActivity)) < s_quiet)
            && committed.Reader.Count < MaxDeferred
            && committed.Reader.TryPeek(out var oldest)
            && _timeProvider.GetElapsedTime(oldest.CommittedAt) < MaxDeferral)
        {
            await Task.Delay(s_deferralCheck, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One transaction for the whole batch: the events into the raw table.</summary>
    private async ValueTask CommitAsync(IReadOnlyList<Pending> batch, CancellationToken cancellationToken)
    {
        var events = Events(batch);
        if (events.Count > 0)
        {
            // A body delivered twice in one batch is one row.
            var rows = new RecordBatch(_events, events.GroupBy(e => e.EventId).Select(g => g.First().ToRow(applied: false, null)).ToArray());
            try
            {
                // Nearly every body is new, and a plain insert costs a fraction of the upsert. A body delivered again
                // fails the insert as a whole (the key is the body's hash), and the upsert then keeps it one row.
                await _commits.WriteAsync(rows, WriteMode.Append, cancellationToken).ConfigureAwait(false);
            }
            catch (MyBiException)
            {
                // The upsert may meet the applier marking the same row on its own connection (a write-write conflict
                // in DuckDB): that passes, so it is tried again before the destination counts as away.
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await _commits.WriteAsync(rows, WriteMode.Merge, cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    catch (MyBiException) when (attempt < 3)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Rejected bodies into the quarantine. Their requests were answered 400 without waiting, so this is done beside
    /// the commits, by the loop that owns the run's writer.
    /// </summary>
    private static async ValueTask QuarantineAsync(EngineRun run, IReadOnlyList<Pending> batch, CancellationToken cancellationToken)
    {
        var rejected = batch.Where(p => p.Received is null).Select(p => p.Entry)
            .Select(e => new QuarantinedRow(e.Id, e.Reason ?? "not an event", JsonValue.Create(e.Body).ToJsonString())).ToList();
        await run.Writer.QuarantineAsync("webhooks", rejected, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Events keep arriving while the destination is away: each batch is made durable in the spool, then answered.</summary>
    private async ValueTask<bool> SpoolUntilBackAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var lastProbe = _timeProvider.GetTimestamp();
        while (true)
        {
            using var wait = new CancellationTokenSource(s_probeInterval);
            bool open;
            try
            {
                open = await _queue.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                open = true;
            }

            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                Spool(batch);
            }

            if (!open)
            {
                return false;
            }

            if (_timeProvider.GetElapsedTime(lastProbe) >= s_probeInterval)
            {
                lastProbe = _timeProvider.GetTimestamp();
                try
                {
                    await _destination.CheckAsync(CancellationToken.None).ConfigureAwait(false);
                    return true;
                }
                catch (MyBiException)
                {
                    // Still away; probe again in a second.
                }
            }
        }
    }

    private void Spool(List<Pending> batch)
    {
        try
        {
            _spool.Append(batch.Select(p => p.Entry).ToList());
            Answer(batch, true);
        }
        catch (IOException ex)
        {
            _log($"{Name}: the spool {_spool.FilePath} cannot be written ({ex.Message}); events are refused with 503.");
            Answer(batch, false);
        }
    }

    private void Answer(List<Pending> batch, bool committed)
    {
        foreach (var pending in batch)
        {
            if (committed && pending.Received is not null)
            {
                Counters.Commit();
            }

            pending.Done.TrySetResult(committed);
        }
    }

    private ReceivedEvent? Decode(string id, string text, DateTimeOffset at)
    {
        try
        {
            var body = JsonNode.Parse(text, documentOptions: ReceivedEvent.DocumentOptions) as JsonObject;
            return body is null ? null : new ReceivedEvent(id, at, Read(body), text);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or WebhookFormatException)
        {
            return null;
        }
    }

    public static string Hash(string text) => Hash(Encoding.UTF8.GetBytes(text));

    public static string Hash(ReadOnlySpan<byte> utf8) => Convert.ToHexStringLower(SHA256.HashData(utf8));

    private static List<ReceivedEvent> Events(IReadOnlyList<Pending> batch) => [.. batch.Select(p => p.Received).OfType<ReceivedEvent>()];

    private static string OneLine(Exception ex) => string.Join(' ', ex.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    private sealed record Pending(SpoolEntry Entry, ReceivedEvent? Received)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>When the event was committed (a <see cref="TimeProvider"/> timestamp).</summary>
        public long CommittedAt { get; set; }
    }
}

/// <summary>What a pipeline's receiver has seen since it started.</summary>
internal sealed class WebhookCounters
{
    private long _committed;
    private long _rejected;
    private long _waiting;

    public long Committed => Interlocked.Read(ref _committed);

    public long RejectedCount => Interlocked.Read(ref _rejected);

    /// <summary>Events (and rejected bodies) committed in this process and not applied yet.</summary>
    public long WaitingToApply => Interlocked.Read(ref _waiting);

    public void Waiting(long change) => Interlocked.Add(ref _waiting, change);

    public void Commit() => Interlocked.Increment(ref _committed);

    public void Rejected() => Interlocked.Increment(ref _rejected);
}
