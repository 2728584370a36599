using System.Diagnostics.Metrics;

namespace MyBi.Engine.Metrics;

/// <summary>
/// The engine's counters, published on the meter <see cref="MeterName"/> for whatever listens in the process
/// (<c>mybi serve</c> exports them at <c>/metrics</c>). Counting costs next to nothing when nobody listens.
/// </summary>
public static class EngineMetrics
{
    /// <summary>The meter's name; connectors publish on meters of their own under <c>MyBi.</c> too.</summary>
    public const string MeterName = "MyBi.Engine";

    private static readonly Meter s_meter = new(MeterName);

    private static readonly Counter<long> s_runs = s_meter.CreateCounter<long>("mybi.runs", "{run}", "Runs that ended, by kind and status.");

    private static readonly Counter<long> s_rows = s_meter.CreateCounter<long>("mybi.rows", "{row}", "Rows written by runs that ended, by table.");

    /// <summary>Counts a run that ended and the rows it wrote per table.</summary>
    public static void RunEnded(string pipeline, string kind, string status, IReadOnlyDictionary<string, long> rowsByTable)
    {
        ArgumentNullException.ThrowIfNull(rowsByTable);
        s_runs.Add(1, new("pipeline", pipeline), new("kind", kind), new("status", status));
        foreach (var (table, rows) in rowsByTable)
        {
            if (rows > 0)
            {
                s_rows.Add(rows, new("pipeline", pipeline), new("table", table));
            }
        }
    }
}
