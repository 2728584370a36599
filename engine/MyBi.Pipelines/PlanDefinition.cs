namespace MyBi.Pipelines;

/// <summary>The optional <c>plan</c> block: limits of the subscription plan.</summary>
public sealed class PlanDefinition
{
    internal PlanDefinition(int? historyDays, long? rowsPerMonth)
    {
        HistoryDays = historyDays;
        RowsPerMonth = rowsPerMonth;
    }

    /// <summary>How far back a historical load may reach, in days.</summary>
    public int? HistoryDays { get; }

    /// <summary>The most rows per calendar month.</summary>
    public long? RowsPerMonth { get; }
}
