using MyBi.Abstractions.Records;

namespace MyBi.Engine.State;

/// <summary>The engine's own tables in every destination: run records and committed source state.</summary>
public static class EngineTables
{
    /// <summary>One row per run.</summary>
    public static TableSchema Runs { get; } = new(
        "_mybi_runs",
        [
            new("run_id", ColumnType.String),
            new("pipeline", ColumnType.String),
            new("kind", ColumnType.String),
            new("status", ColumnType.String),
            new("started_at", ColumnType.Timestamp),
            new("finished_at", ColumnType.Timestamp),
            new("period_from", ColumnType.Date),
            new("period_to", ColumnType.Date),
            new("rows_written", ColumnType.Int64),
            new("message", ColumnType.String),
        ],
        ["run_id"])
    {
        Description = "Every run of every pipeline: when, how it ended, how many rows it wrote.",
    };

    /// <summary>Rows written per table per run (what a plan's row quota counts).</summary>
    public static TableSchema RunTables { get; } = new(
        "_mybi_run_tables",
        [
            new("run_id", ColumnType.String),
            new("table_name", ColumnType.String),
            new("pipeline", ColumnType.String),
            new("started_at", ColumnType.Timestamp),
            new("rows_written", ColumnType.Int64),
        ],
        ["run_id", "table_name"])
    {
        Description = "Rows each run wrote to each table.",
    };

    /// <summary>The last committed connector state per pipeline.</summary>
    public static TableSchema State { get; } = new(
        "_mybi_state",
        [
            new("pipeline", ColumnType.String),
            new("state", ColumnType.Json),
            new("run_id", ColumnType.String),
            new("updated_at", ColumnType.Timestamp),
        ],
        ["pipeline"])
    {
        Description = "Cursors of each pipeline, stored only after the rows they cover were committed.",
    };

    /// <summary>Rows that rules rejected under <c>on_error: quarantine</c>.</summary>
    public static TableSchema Quarantine { get; } = new(
        "_mybi_quarantine",
        [
            new("run_id", ColumnType.String),
            new("source", ColumnType.String),
            new("row_key", ColumnType.String),
            new("error", ColumnType.String),
            new("row_json", ColumnType.Json),
            new("quarantined_at", ColumnType.Timestamp),
        ],
        ["run_id", "source", "row_key"])
    {
        Description = "Input rows a rule could not handle, with the error, kept instead of failing the run.",
    };

    /// <summary>Which stream, report job or rule owns each table; a table has one owner.</summary>
    public static TableSchema TableOwners { get; } = new(
        "_mybi_table_owners",
        [
            new("table_name", ColumnType.String) { Description = "The table, in lower case (destinations do not tell case apart)." },
            new("pipeline", ColumnType.String) { Description = "The pipeline of the owner; * for the table every report job shares." },
            new("owner_kind", ColumnType.String) { Description = "stream, report or rule." },
            new("owner_name", ColumnType.String) { Description = "The stream, the report job, or for a rule what it transforms (stream:NAME, report:NAME)." },
            new("first_seen", ColumnType.Timestamp) { Description = "When a run first claimed the table." },
        ],
        ["table_name"])
    {
        Description = "The one owner of each table a run writes; a run whose table belongs to another owner fails before writing.",
    };

    /// <summary>What happened in each pipeline: runs started and ended, warnings, errors, findings of every stage.</summary>
    public static TableSchema Journal { get; } = new(
        "_mybi_journal",
        [
            new("entry_id", ColumnType.String) { Description = "A unique id of the entry." },
            new("time", ColumnType.Timestamp) { Description = "When it happened (UTC)." },
            new("pipeline", ColumnType.String) { Description = "The pipeline." },
            new("job", ColumnType.String) { Description = "The job that wrote it: sync, report:NAME, reconcile, retention, webhook." },
            new("run_id", ColumnType.String) { Description = "The run in _mybi_runs, when the entry belongs to one." },
            new("kind", ColumnType.String) { Description = "sync, report, reconcile, retention, webhook, error or warning." },
            new("level", ColumnType.String) { Description = "info, warning or error." },
            new("message", ColumnType.String) { Description = "One line for people, secrets masked." },
            new("details", ColumnType.Json) { Description = "The facts as JSON, for BI tools (rows written, differences found, ...)." },
        ],
        ["entry_id"])
    {
        Description = "The event journal: every stage of every pipeline writes what it did and what went wrong.",
    };

    /// <summary>All engine tables.</summary>
    public static IReadOnlyList<TableSchema> All { get; } = [Runs, RunTables, State, Quarantine, TableOwners, Journal];
}
