namespace MyBi.Engine.Running;

/// <summary>What a plan allows: how far back a load may reach and how many rows a month may write.</summary>
public sealed record PlanLimits
{
    /// <summary>No limits.</summary>
    public static PlanLimits Unlimited { get; } = new();

    /// <summary>How many days back from today a period may start; null for unlimited.</summary>
    public int? HistoryDays { get; init; }

    /// <summary>Rows the pipeline may write per calendar month (UTC); null for unlimited.</summary>
    public long? RowsPerMonth { get; init; }
}
