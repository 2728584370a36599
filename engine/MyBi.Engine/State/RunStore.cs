using System.Text.Json.Nodes;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;

namespace MyBi.Engine.State;

/// <summary>Reads and writes the engine tables of one destination.</summary>
public sealed class RunStore
{
    private const string EnginePrefix = "_mybi_";

    private readonly Destination _destination;
    private readonly SecretRedactor _redactor;
    private bool _journalReady;

    /// <summary>Creates a store over a destination; run messages are stored with <paramref name="redactor"/>'s secrets masked.</summary>
    public RunStore(Destination destination, SecretRedactor? redactor = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _destination = destination;
        _redactor = redactor ?? SecretRedactor.None;
    }

    /// <summary>Creates the engine tables if needed.</summary>
    public async ValueTask EnsureAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in EngineTables.All)
        {
            await _destination.EnsureTableAsync(table, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Records the owner of each table a run is about to write, or fails with a configuration error naming the
    /// owner when another one holds it. Call before creating or writing any of the tables: a run that may not write
    /// them must change nothing.
    /// </summary>
    public async ValueTask ClaimTablesAsync(IReadOnlyList<(string Table, TableOwner Owner)> claims, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var owners = new Dictionary<string, TableOwner>(StringComparer.Ordinal);
        if (await _destination.TableExistsAsync(EngineTables.TableOwners.Name, cancellationToken).ConfigureAwait(false))
        {
            await foreach (var row in _destination.ReadTableAsync(EngineTables.TableOwners, cancellationToken).ConfigureAwait(false))
            {
                if (row[0] is string table)
                {
                    owners[table] = TableOwner.Stored((string?)row[1] ?? string.Empty, (string?)row[2] ?? string.Empty, (string?)row[3] ?? string.Empty);
                }
            }
        }

        var fresh = new List<object?[]>();
        var conflicts = new List<string>();
        foreach (var (table, owner) in claims)
        {
            var key = table.ToLowerInvariant();
            if (key.StartsWith(EnginePrefix, StringComparison.Ordinal))
            {
                conflicts.Add($"table '{table}' belongs to the engine (names starting with {EnginePrefix} are its own), so {owner} may not write it");
                continue;
            }

            if (owners.TryGetValue(key, out var recorded))
            {
                if (!owner.MayWrite(recorded))
                {
                    conflicts.Add($"table '{table}' belongs to {recorded}, so {owner} may not write it");
                }

                continue;
            }

            owners[key] = owner;
            fresh.Add([key, owner.Pipeline, owner.Kind, owner.Name, now]);
        }

        if (conflicts.Count > 0)
        {
            throw MyBiException.Config($"{string.Join("; ", conflicts)}. A table has one owner: rename the report job or the rule's table, or load into another destination.");
        }

        if (fresh.Count > 0)
        {
            await _destination.WriteAsync(new RecordBatch(EngineTables.TableOwners, fresh), WriteMode.Merge, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The committed state of a pipeline, or null before its first checkpoint.</summary>
    public async ValueTask<JsonObject?> LoadStateAsync(string pipeline, CancellationToken cancellationToken = default)
    {
        if (!await _destination.TableExistsAsync(EngineTables.State.Name, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        await foreach (var row in _destination.ReadTableAsync(EngineTables.State, cancellationToken).ConfigureAwait(false))
        {
            if ((string?)row[0] == pipeline && row[1] is string json)
            {
                return JsonNode.Parse(json) as JsonObject;
            }
        }

        return null;
    }

    /// <summary>Stores the state; call only after every row it covers was committed.</summary>
    public ValueTask SaveStateAsync(string pipeline, JsonObject state, string runId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteOneAsync(EngineTables.State, [pipeline, state.ToJsonString(), runId, now], cancellationToken);

    /// <summary>Writes (or rewrites) the record of a run.</summary>
    public ValueTask SaveRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return WriteOneAsync(
            EngineTables.Runs,
            [run.RunId, run.Pipeline, run.Kind, run.Status.ToText(), run.StartedAt, run.FinishedAt, run.PeriodFrom, run.PeriodTo, run.RowsWritten, _redactor.ApplyOrNull(run.Message)],
            cancellationToken);
    }

    /// <summary>Writes the per-table row counts of a run.</summary>
    public async ValueTask SaveRunTablesAsync(RunRecord run, IReadOnlyDictionary<string, long> rowsByTable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(rowsByTable);
        if (rowsByTable.Count == 0)
        {
            return;
        }

        var rows = rowsByTable.Select(kv => new object?[] { run.RunId, kv.Key, run.Pipeline, run.StartedAt, kv.Value }).ToList();
        await _destination.WriteAsync(new RecordBatch(EngineTables.RunTables, rows), WriteMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records how a run ended, with the rows it wrote per table.</summary>
    public async ValueTask FinishAsync(RunRecord run, RunStatus status, string? message, IReadOnlyDictionary<string, long> written, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await SaveRunTablesAsync(run, written, cancellationToken).ConfigureAwait(false);
        await SaveRunAsync(run with { Status = status, FinishedAt = now, RowsWritten = written.Values.Sum(), Message = message }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>All runs of a pipeline, newest first.</summary>
    public async ValueTask<IReadOnlyList<RunRecord>> LoadRunsAsync(string pipeline, CancellationToken cancellationToken = default)
    {
        var runs = new List<RunRecord>();
        if (!await _destination.TableExistsAsync(EngineTables.Runs.Name, cancellationToken).ConfigureAwait(false))
        {
            return runs;
        }

        await foreach (var r in _destination.ReadTableAsync(EngineTables.Runs, cancellationToken).ConfigureAwait(false))
        {
            if ((string?)r[1] != pipeline)
            {
                continue;
            }

            runs.Add(new RunRecord
            {
                RunId = (string)r[0]!,
                Pipeline = (string)r[1]!,
                Kind = (string?)r[2] ?? "sync",
                Status = RunStatusText.Parse((string?)r[3]),
                StartedAt = (DateTimeOffset)r[4]!,
                FinishedAt = (DateTimeOffset?)r[5],
                PeriodFrom = (DateOnly?)r[6],
                PeriodTo = (DateOnly?)r[7],
                RowsWritten = (long?)r[8] ?? 0,
                Message = (string?)r[9],
            });
        }

        return runs.OrderByDescending(r => r.StartedAt).ToList();
    }

    /// <summary>Rows a pipeline's runs wrote since a moment (the plan's monthly quota counts these).</summary>
    public async ValueTask<long> RowsWrittenSinceAsync(string pipeline, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        if (!await _destination.TableExistsAsync(EngineTables.RunTables.Name, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        long total = 0;
        await foreach (var r in _destination.ReadTableAsync(EngineTables.RunTables, cancellationToken).ConfigureAwait(false))
        {
            if ((string?)r[2] == pipeline && r[3] is DateTimeOffset started && started >= since)
            {
                total += (long?)r[4] ?? 0;
            }
        }

        return total;
    }

    /// <summary>
    /// Appends entries to <c>_mybi_journal</c>, creating it when needed, with the pipeline's secrets masked in the
    /// message and the details. Any stage may write here, inside a run or not (webhooks, retention).
    /// </summary>
    public async ValueTask AppendJournalAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        if (!_journalReady)
        {
            await _destination.EnsureTableAsync(EngineTables.Journal, cancellationToken).ConfigureAwait(false);
            _journalReady = true;
        }

        var rows = entries.Select(e => new object?[]
        {
            e.EntryId, e.Time, e.Pipeline, e.Job, e.RunId, e.Kind, JournalEntry.LevelText(e.Level), _redactor.Apply(e.Message),
            e.Details is null ? null : _redactor.Apply(e.Details.ToJsonString()),
        }).ToList();
        await _destination.WriteAsync(new RecordBatch(EngineTables.Journal, rows), WriteMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A pipeline's journal entries, oldest first, of one kind (null: all) since a moment (null: ever).</summary>
    public async ValueTask<IReadOnlyList<JournalEntry>> LoadJournalAsync(string pipeline, string? kind, DateTimeOffset? since, CancellationToken cancellationToken = default)
    {
        var entries = new List<JournalEntry>();
        if (!await _destination.TableExistsAsync(EngineTables.Journal.Name, cancellationToken).ConfigureAwait(false))
        {
            return entries;
        }

        await foreach (var r in _destination.ReadTableAsync(EngineTables.Journal, cancellationToken).ConfigureAwait(false))
        {
            if ((string?)r[2] != pipeline || (kind is not null && (string?)r[5] != kind) || r[1] is not DateTimeOffset time || (since is { } s && time < s))
            {
                continue;
            }

            entries.Add(new JournalEntry
            {
                EntryId = (string)r[0]!,
                Time = time,
                Pipeline = pipeline,
                Job = (string?)r[3] ?? string.Empty,
                RunId = (string?)r[4],
                Kind = (string?)r[5] ?? string.Empty,
                Level = (string?)r[6] switch { "warning" => JournalLevel.Warning, "error" => JournalLevel.Error, _ => JournalLevel.Info },
                Message = (string?)r[7] ?? string.Empty,
                Details = r[8] is string json ? JsonNode.Parse(json) as JsonObject : null,
            });
        }

        return entries.OrderBy(e => e.Time).ThenBy(e => e.EntryId, StringComparer.Ordinal).ToList();
    }

    private async ValueTask WriteOneAsync(TableSchema table, object?[] row, CancellationToken cancellationToken) =>
        await _destination.WriteAsync(new RecordBatch(table, [row]), WriteMode.Merge, cancellationToken).ConfigureAwait(false);
}
