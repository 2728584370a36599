using MyBi.Abstractions.Records;

namespace MyBi.Rules;

/// <summary>What a rule emitted for one batch of input rows.</summary>
public sealed class RuleBatchResult
{
    internal RuleBatchResult(IReadOnlyDictionary<string, RecordBatch> tables, int skipped, IReadOnlyList<RuleRowError> rowErrors)
    {
        Tables = tables;
        Skipped = skipped;
        RowErrors = rowErrors;
    }

    /// <summary>Rows per declared table (every declared table is present, possibly empty), typed per the declaration.</summary>
    public IReadOnlyDictionary<string, RecordBatch> Tables { get; }

    /// <summary>How many input rows emitted nothing (failed rows are not counted here).</summary>
    public int Skipped { get; }

    /// <summary>Input rows set aside in <see cref="RuleErrorMode.Quarantine"/> mode; always empty in <see cref="RuleErrorMode.Fail"/> mode.</summary>
    public IReadOnlyList<RuleRowError> RowErrors { get; }
}
