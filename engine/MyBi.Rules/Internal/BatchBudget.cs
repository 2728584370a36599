using System.Diagnostics;
using Jint;
using Jint.Runtime;

namespace MyBi.Rules.Internal;

/// <summary>
/// The time and statement budget of one batch, and so of every row in it: the sandbox's only time and statement
/// limit. Jint resets constraints at every host call (one per input row), so a constraint of its own would bound a
/// row, not a batch; this one ignores that reset and is armed by the runner once per batch (and before the top
/// level) instead.
/// </summary>
internal sealed class BatchBudget : Constraint
{
    // Often enough that a run of costly statements (long string or array built-ins) cannot outlast the deadline by much.
    private const int ClockCheckInterval = 16;

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
