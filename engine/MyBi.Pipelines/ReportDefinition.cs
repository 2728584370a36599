namespace MyBi.Pipelines;

/// <summary>One entry of <c>reports</c>: a custom report job.</summary>
public sealed class ReportDefinition
{
    internal ReportDefinition(string name, string type, IReadOnlyList<string> fields, int? lookbackDays, bool fixStructure, string? rulesPath, ReportErrorMode onError)
    {
        Name = name;
        Type = type;
        Fields = fields;
        LookbackDays = lookbackDays;
        FixStructure = fixStructure;
        RulesPath = rulesPath;
        OnError = onError;
    }

    /// <summary>The report's name, unique in the file.</summary>
    public string Name { get; }

    /// <summary>The kind of rows, e.g. <c>finance_transactions</c>.</summary>
    public string Type { get; }

    /// <summary>The fields to keep; empty means all.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>Days each run reloads (<c>refresh.lookback_days</c>).</summary>
    public int? LookbackDays { get; }

    /// <summary>Whether a changed field list rebuilds the table instead of failing.</summary>
    public bool FixStructure { get; }

    /// <summary>The rule file as an absolute path, or <see langword="null"/>.</summary>
    public string? RulesPath { get; }

    /// <summary>What a failing rule does.</summary>
    public ReportErrorMode OnError { get; }
}
