namespace MyBi.Pipelines;

/// <summary>What a report does when its rule fails on a row (<c>on_error</c>).</summary>
public enum ReportErrorMode
{
    /// <summary>Fail the run (<c>fail</c>, the default).</summary>
    Fail,

    /// <summary>Set the row aside in a quarantine table and go on (<c>quarantine</c>).</summary>
    Quarantine,
}
