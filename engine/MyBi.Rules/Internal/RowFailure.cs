namespace MyBi.Rules.Internal;

/// <summary>
/// A failure of one input row that the script cannot catch: the row is too big to hand to the rule, or it
/// emitted more rows than allowed. It ends the row; the runner turns it into a <see cref="RuleException"/>.
/// </summary>
internal sealed class RowFailure : Exception
{
    public RowFailure(string message)
        : base(message)
    {
    }

    public RowFailure()
    {
    }

    public RowFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
