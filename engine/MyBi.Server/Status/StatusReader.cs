using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Engine.State;
using MyBi.Hosting;

namespace MyBi.Server.Status;

/// <summary>
/// Reads what the status page shows from a pipeline's destination through its read-only query path, every answer
/// capped in rows. The destination is opened for one read and let go at once: a DuckDB file takes one writing
/// process, and a sync started from the command line must find it free.
/// </summary>
internal sealed partial class StatusReader
{
    public const int MaxRuns = 50;
    public const int MaxJournal = 500;
    public const int MaxChartDays = 60;
    public const int MaxMessageChars = 2000;

    private readonly LoadedPipeline _pipeline;

    public StatusReader(LoadedPipeline pipeline)
    {
        _pipeline = pipeline;
    }

    private string Name => _pipeline.Definition.Name;

    /// <summary>The recent runs (newest first) with rows per table for the last run of each job.</summary>
    public Task<JsonObject> RunsAsync(CancellationToken cancellationToken) => ReadAsync(async destination =>
    {
        var runs = new JsonArray();
        var lastByJob = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (await destination.TableExistsAsync(EngineTables.Runs.Name, cancellationToken).ConfigureAwait(false))
        {
            var result = await destination.QueryAsync(
                $"SELECT run_id, kind, status, started_at, finished_at, rows_written, message FROM {EngineTables.Runs.Name} WHERE pipeline = '{Name}' ORDER BY started_at DESC",
                MaxRuns * 4,
                cancellationToken).ConfigureAwait(false);
            foreach (var row in result.Rows)
            {
                var started = Time(row[3]);
                var finished = Time(row[4]);
                var run = new JsonObject
                {
                    ["run_id"] = Text(row[0]),
                    ["job"] = Text(row[1]),
                    ["status"] = Text(row[2]),
                    ["started_at"] = Iso(started),
                    ["finished_at"] = Iso(finished),
                    ["duration_seconds"] = started is { } s && finished is { } f ? Math.Round((f - s).TotalSeconds, 3) : null,
                    ["rows"] = Number(row[5]),
                    ["message"] = Message(row[6]),
                };
                var job = Text(row[1]) ?? "sync";
                if (!lastByJob.ContainsKey(job))
                {
                    lastByJob[job] = run;
                }

                if (runs.Count < MaxRuns)
                {
                    runs.Add(run.DeepClone());
                }
            }
        }

        var ids = lastByJob.Values.Select(r => (string?)r["run_id"]).OfType<string>().Where(id => SafeToken().IsMatch(id)).ToList();
        if (ids.Count > 0 && await destination.TableExistsAsync(EngineTables.RunTables.Name, cancellationToken).ConfigureAwait(false))
        {
            var tables = await destination.QueryAsync(
                $"SELECT run_id, table_name, rows_written FROM {EngineTables.RunTables.Name} WHERE run_id IN ({string.Join(", ", ids.Select(id => $"'{id}'"))}) ORDER BY table_name",
                2000,
                cancellationToken).ConfigureAwait(false);
            foreach (var run in lastByJob.Values)
            {
                var perTable = new JsonObject();
                foreach (var row in tables.Rows.Where(r => Text(r[0]) == (string?)run["run_id"]))
                {
                    perTable[Text(row[1]) ?? "?"] = Number(row[2]);
                }

                run["tables"] = perTable;
            }
        }

        var last = new JsonObject();
        foreach (var (job, run) in lastByJob.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            last[job] = run;
        }

        return new JsonObject { ["last"] = last, ["recent"] = runs };
    });

    /// <summary>The newest journal entries of one kind (null: all), newest first.</summary>
    public Task<JsonObject> JournalAsync(string? kind, int limit, CancellationToken cancellationToken) => ReadAsync(async destination =>
    {
        var entries = new JsonArray();
        var kinds = new JsonArray();
        var truncated = false;
        if (await destination.TableExistsAsync(EngineTables.Journal.Name, cancellationToken).ConfigureAwait(false))
        {
            var filter = kind is null ? string.Empty : $" AND kind = '{kind}'";
            var result = await destination.QueryAsync(
                $"SELECT time, job, run_id, kind, level, message, details FROM {EngineTables.Journal.Name} WHERE pipeline = '{Name}'{filter} ORDER BY time DESC",
                Math.Clamp(limit, 1, MaxJournal),
                cancellationToken).ConfigureAwait(false);
            truncated = result.Truncated;
            var present = await destination.QueryAsync(
                $"SELECT DISTINCT kind FROM {EngineTables.Journal.Name} WHERE pipeline = '{Name}' ORDER BY kind",
                50,
                cancellationToken).ConfigureAwait(false);
            foreach (var row in present.Rows)
            {
                kinds.Add(Text(row[0]));
            }

            foreach (var row in result.Rows)
            {
                entries.Add(new JsonObject
                {
                    ["time"] = Iso(Time(row[0])),
                    ["job"] = Text(row[1]),
                    ["run_id"] = Text(row[2]),
                    ["kind"] = Text(row[3]),
                    ["level"] = Text(row[4]),
                    ["message"] = Message(row[5]),
                    ["details"] = Message(row[6]),
                });
            }
        }

        return new JsonObject { ["kind"] = kind, ["kinds"] = kinds, ["entries"] = entries, ["truncated"] = truncated };
    });

    /// <summary>Rows loaded per day (UTC) per table over the newest days that had runs.</summary>
    public Task<JsonObject> ChartAsync(CancellationToken cancellationToken) => ReadAsync(async destination =>
    {
        var points = new JsonArray();
        if (await destination.TableExistsAsync(EngineTables.RunTables.Name, cancellationToken).ConfigureAwait(false))
        {
            var utcDay = UtcDay();
            var result = await destination.QueryAsync(
                $"SELECT {utcDay} AS day, table_name, SUM(rows_written) AS rows_written FROM {EngineTables.RunTables.Name} WHERE pipeline = '{Name}' GROUP BY {utcDay}, table_name ORDER BY day DESC, table_name",
                5000,
                cancellationToken).ConfigureAwait(false);
            var days = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in result.Rows)
            {
                var day = Day(row[0]);
                if (day is null || (!days.Contains(day) && days.Count >= MaxChartDays))
                {
                    continue;
                }

                days.Add(day);
                points.Add(new JsonObject { ["day"] = day, ["table"] = Text(row[1]), ["rows"] = Number(row[2]) });
            }
        }

        return new JsonObject { ["points"] = points };
    });

    /// <summary>Webhook events in the destination, applied and not yet applied.</summary>
    public Task<JsonObject> WebhooksAsync(CancellationToken cancellationToken) => ReadAsync(async destination =>
    {
        var table = Webhooks.WebhookTables.Events(_pipeline.ConnectorId).Name;
        long applied = 0, unapplied = 0;
        var exists = SafeToken().IsMatch(table) && await destination.TableExistsAsync(table, cancellationToken).ConfigureAwait(false);
        if (exists)
        {
            var result = await destination.QueryAsync($"SELECT applied, COUNT(*) AS n FROM {table} GROUP BY applied", 10, cancellationToken).ConfigureAwait(false);
            foreach (var row in result.Rows)
            {
                var count = Number(row[1]) ?? 0;
                if (row[0] is true || (row[0] is not null and not bool && Number(row[0]) == 1))
                {
                    applied += count;
                }
                else
                {
                    unapplied += count;
                }
            }
        }

        return new JsonObject { ["table"] = exists ? table : null, ["applied"] = applied, ["unapplied"] = unapplied };
    });

    /// <summary>
    /// The UTC day of a run's start. PostgreSQL casts in the session's time zone, so it is told; DuckDB's sessions and
    /// ClickHouse's column are UTC already.
    /// </summary>
    private string UtcDay() => _pipeline.Definition.Destination.Type == "postgres"
        ? "CAST(started_at AT TIME ZONE 'UTC' AS DATE)"
        : "CAST(started_at AS DATE)";

    /// <summary>
    /// Opens the destination for one read. A file held by a running sync, or a database that does not answer, is an
    /// answer of its own (<c>available: false</c>), not an error page.
    /// </summary>
    private async Task<JsonObject> ReadAsync(Func<Destination, Task<JsonObject>> read)
    {
        var destination = _pipeline.CreateDestination();
        try
        {
            var answer = await read(destination).ConfigureAwait(false);
            answer["available"] = true;
            return answer;
        }
        catch (MyBiException ex)
        {
            var locked = ex.Kind == FailureKind.Transient && ex.Message.Contains("locked", StringComparison.OrdinalIgnoreCase);
            return new JsonObject
            {
                ["available"] = false,
                ["locked"] = locked,
                ["message"] = locked
                    ? $"The destination is locked by a running sync or another process ({Cut(_pipeline.Redactor.Apply(ex.Message))}). The page reads it again on the next refresh."
                    : Cut(_pipeline.Redactor.Apply(ex.Message)),
            };
        }
        finally
        {
            await destination.DisposeAsync().ConfigureAwait(false);
        }
    }

    private string? Message(object? value) => value is null or DBNull ? null : Cut(_pipeline.Redactor.Apply(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));

    private static string Cut(string text) => text.Length <= MaxMessageChars ? text : string.Concat(text.AsSpan(0, MaxMessageChars), "…");

    private static string? Text(object? value) => value is null or DBNull ? null : Convert.ToString(value, CultureInfo.InvariantCulture);

    private static long? Number(object? value) => value switch
    {
        null or DBNull => null,
        bool b => b ? 1 : 0,
        System.Numerics.BigInteger big => (long)big,
        IConvertible convertible => convertible.ToInt64(CultureInfo.InvariantCulture),
        _ => null,
    };

    private static DateTimeOffset? Time(object? value) => value switch
    {
        DateTimeOffset offset => offset.ToUniversalTime(),
        DateTime { Kind: DateTimeKind.Local } local => new DateTimeOffset(local).ToUniversalTime(),
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        _ => null,
    };

    private static string? Iso(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? Day(object? value) => value switch
    {
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset offset => offset.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        null or DBNull => null,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: >= 10 } text ? text[..10] : null,
    };

    /// <summary>What may be written into a query as a literal: the engine's own ids and names, never free text.</summary>
    [GeneratedRegex("^[A-Za-z0-9_:.-]{1,128}$", RegexOptions.CultureInvariant)]
    public static partial Regex SafeToken();
}
