namespace MyBi.Rules;

/// <summary>What a <see cref="RuleRunner"/> does when a rule fails on one input row.</summary>
public enum RuleErrorMode
{
    /// <summary>The whole batch fails with a <see cref="RuleException"/>; nothing of it is emitted.</summary>
    Fail,

    /// <summary>
    /// The failing input row is set aside as a <see cref="RuleRowError"/> and none of its rows are emitted;
    /// the other rows of the batch go on. Batch-wide limits (time, statements, cancellation) still fail the batch.
    /// </summary>
    Quarantine,
}
