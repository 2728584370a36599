using MyBi.Abstractions.Errors;
using MyBi.Engine.State;

namespace MyBi.Engine.Running;

/// <summary>Enforces a plan: the history depth before any request, and the monthly row quota while writing.</summary>
internal sealed class PlanGuard
{
    private readonly PlanLimits _plan;
    private long _remaining;

    private PlanGuard(PlanLimits plan, long remaining)
    {
        _plan = plan;
        _remaining = remaining;
    }

    /// <summary>Checks the period against the plan and reads the month's quota; throws a Config error when either is spent.</summary>
    public static async ValueTask<PlanGuard> CreateAsync(string pipeline, DateOnly? periodFrom, DateOnly? periodTo, PlanLimits plan, RunStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (plan.HistoryDays is int days && periodFrom is DateOnly from)
        {
            var earliest = today.AddDays(-days);
            if (from < earliest)
            {
                throw MyBiException.Config(
                    $"The plan allows {days} days of history (from {earliest:yyyy-MM-dd}); the period asked starts {from:yyyy-MM-dd}. Ask for a later --from or raise plan.history_days.");
            }
        }

        if (periodFrom is DateOnly f && periodTo is DateOnly t && t < f)
        {
            throw MyBiException.Config($"The period ends ({t:yyyy-MM-dd}) before it starts ({f:yyyy-MM-dd}).");
        }

        var remaining = long.MaxValue;
        if (plan.RowsPerMonth is long quota)
        {
            var monthStart = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
            var spent = await store.RowsWrittenSinceAsync(pipeline, monthStart, cancellationToken).ConfigureAwait(false);
            remaining = quota - spent;
            if (remaining <= 0)
            {
                throw MyBiException.Config($"The plan's {quota:N0} rows for {monthStart:yyyy-MM} are spent ({spent:N0} written); the next load is possible next month or with a larger plan.rows_per_month.");
            }
        }

        return new PlanGuard(plan, remaining);
    }

    /// <summary>Whether a batch of this size still fits the quota; reserves it when it does.</summary>
    public bool TryReserve(int rows)
    {
        if (_remaining < rows)
        {
            return false;
        }

        _remaining -= rows;
        return true;
    }

    public string QuotaMessage => $"The plan's {_plan.RowsPerMonth:N0} rows for this month are spent: the run stopped cleanly after its last complete batch; rows already written are kept.";
}
