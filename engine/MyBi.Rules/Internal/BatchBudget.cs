using System.Diagnostics;
using Jint;
using Jint.Runtime;

namespace MyBi.Rules.Internal;

/// <summary>
/// The time and statement budget of one batch. Jint resets its own constraints at every host call (one per
/// input row), so on their own they would bound a row, not a batch; this constraint ignores that reset and is
/// armed by the runner once per batch instead.
/// </summary>
internal sealed class BatchBudget : Constraint
{
    private const int ClockCheckInterval = 256;

    private long _maxStatements;
    private long _statements;
    private long _deadline = long.MaxValue;

    public override bool IsAmortizable => false;

    public void Arm(TimeSpan timeout, long maxStatements)
    {
        _maxStatements = maxStatements;
        _statements = 0;
        _deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    }

    public override void Check()
    {
        var count = ++_statements;
        if (count > _maxStatements)
        {
            throw new StatementsCountOverflowException();
        }

        if (count % ClockCheckInterval == 0)
        {
            CheckClock();
        }
    }

    /// <summary>Checks the deadline between rows too, so host-side work counts against it.</summary>
    public void CheckClock()
    {
        if (Stopwatch.GetTimestamp() > _deadline)
        {
            throw new TimeoutException("The rule ran longer than its time limit for one batch.");
        }
    }

    // Jint calls this before every host call; the budget spans the whole batch, so only Arm starts it over.
    public override void Reset()
    {
    }
}
