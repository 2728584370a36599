using MyBi.Abstractions.Errors;

namespace MyBi.Engine.State;

/// <summary>
/// The stored form of <see cref="RunStatus"/>: the lower-case words the warehouse has always held, so queries and
/// dashboards over <c>_mybi_runs</c> written by earlier versions keep reading the same values.
/// </summary>
public static class RunStatusText
{
    /// <summary>running, succeeded, failed, quota_exhausted or cancelled.</summary>
    public static string ToText(this RunStatus status) => status switch
    {
        RunStatus.Running => "running",
        RunStatus.Succeeded => "succeeded",
        RunStatus.Failed => "failed",
        RunStatus.QuotaExhausted => "quota_exhausted",
        RunStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a run status."),
    };

    /// <summary>Reads a stored status.</summary>
    public static RunStatus Parse(string? text) => text switch
    {
        "running" => RunStatus.Running,
        "succeeded" => RunStatus.Succeeded,
        "failed" => RunStatus.Failed,
        "quota_exhausted" => RunStatus.QuotaExhausted,
        "cancelled" => RunStatus.Cancelled,
        _ => throw MyBiException.System($"_mybi_runs holds the run status '{text}', which is none of running, succeeded, failed, quota_exhausted, cancelled."),
    };
}
