namespace MyBi.Rules;

/// <summary>An input row that a rule could not handle, set aside in <see cref="RuleErrorMode.Quarantine"/> mode.</summary>
/// <param name="RowKey">The key of the input row, as the caller's key function gave it.</param>
/// <param name="Message">One line naming the rule file, line and column, the row and the error.</param>
/// <param name="RowJson">The input row as JSON text, to inspect or replay it.</param>
public sealed record RuleRowError(string RowKey, string Message, string RowJson);
