using System.Text.Json.Nodes;

namespace MyBi.Engine.State;

/// <summary>The kinds of <c>_mybi_journal</c> entries: the stage that wrote it, or error and warning.</summary>
public static class JournalKinds
{
    /// <summary>A sync run started or ended.</summary>
    public const string Sync = "sync";

    /// <summary>A report run started or ended.</summary>
    public const string Report = "report";

    /// <summary>A reconciliation run and its findings.</summary>
    public const string Reconcile = "reconcile";

    /// <summary>A retention run and what it deleted.</summary>
    public const string Retention = "retention";

    /// <summary>Webhook deliveries received and applied.</summary>
    public const string Webhook = "webhook";

    /// <summary>A scheduled fire: which instance ran it, or why it was skipped.</summary>
    public const string Schedule = "schedule";

    /// <summary>A run failed.</summary>
    public const string Error = "error";

    /// <summary>A problem that did not stop a run.</summary>
    public const string Warning = "warning";

    /// <summary>Every kind, for option checks.</summary>
    public static IReadOnlyList<string> All { get; } = [Sync, Report, Reconcile, Retention, Webhook, Schedule, Error, Warning];

    /// <summary>The stage kind of a run kind as stored in <c>_mybi_runs.kind</c> (<c>report:NAME</c> is report).</summary>
    public static string OfRunKind(string runKind)
    {
        ArgumentNullException.ThrowIfNull(runKind);
        var colon = runKind.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? runKind : runKind[..colon];
    }
}

/// <summary>How serious a journal entry is.</summary>
public enum JournalLevel
{
    /// <summary>Something happened as it should.</summary>
    Info,

    /// <summary>A problem that did not stop the work.</summary>
    Warning,

    /// <summary>The work failed.</summary>
    Error,
}

/// <summary>One row of <c>_mybi_journal</c>.</summary>
public sealed record JournalEntry
{
    /// <summary>When it happened.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The pipeline.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The job: sync, report:NAME, reconcile, retention, webhook.</summary>
    public required string Job { get; init; }

    /// <summary>One of <see cref="JournalKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>How serious it is.</summary>
    public JournalLevel Level { get; init; } = JournalLevel.Info;

    /// <summary>One line for people.</summary>
    public required string Message { get; init; }

    /// <summary>The facts, for BI tools; null for none.</summary>
    public JsonObject? Details { get; init; }

    /// <summary>The run it belongs to, if any.</summary>
    public string? RunId { get; init; }

    /// <summary>The entry id; unique.</summary>
    public string EntryId { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>The level as stored.</summary>
    public static string LevelText(JournalLevel level) => level switch
    {
        JournalLevel.Warning => "warning",
        JournalLevel.Error => "error",
        _ => "info",
    };
}
