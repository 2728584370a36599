namespace MyBi.Engine.State;

/// <summary>How far a run got. Stored in <c>_mybi_runs</c> as the text of <see cref="RunStatusText"/>.</summary>
public enum RunStatus
{
    /// <summary>Started and not ended (or killed before it could record its end).</summary>
    Running,

    /// <summary>Ended having done everything it was asked.</summary>
    Succeeded,

    /// <summary>Ended by an error; the message holds it, on one line, secrets masked.</summary>
    Failed,

    /// <summary>Stopped cleanly after its last batch that fit the plan's monthly row quota.</summary>
    QuotaExhausted,

    /// <summary>Stopped because it was asked to (Ctrl+C, a host shutting down).</summary>
    Cancelled,
}
