using MyBi.Abstractions.Connectors;

namespace MyBi.Engine.Sources;

/// <summary>
/// The request budgets of this process, given to every source session the engine opens: plugins are loaded once per
/// pipeline, each load with its own statics, so a budget shared by the pipelines of one account must live here.
/// </summary>
public static class ProcessRateBudgets
{
    /// <summary>The one set of budgets of the process.</summary>
    public static RateBudgets Shared { get; } = new();
}
