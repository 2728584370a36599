using MyBi.Abstractions.Errors;

namespace MyBi.Rules;

/// <summary>
/// A rule failed: a syntax error, a script error, a broken sandbox limit or a row that does not fit its table.
/// The message reads "rules/finance.js:12:5: row id=123: TypeError: ..." and is a configuration error: the rule
/// file has to change, retrying does not help.
/// </summary>
public sealed class RuleException : MyBiException
{
    internal RuleException(string file, int line, int column, string? rowKey, string reason, Exception? innerException = null)
        : base(FailureKind.Config, Format(file, line, column, rowKey, reason), innerException)
    {
        File = file;
        Line = line;
        Column = column;
        RowKey = rowKey;
        Reason = reason;
    }

    /// <summary>The rule file as it was named to <see cref="RuleScript"/>.</summary>
    public string File { get; }

    /// <summary>The 1-based line of the failing code, or 0 when the failure has no place in the script (a limit).</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the failing code, or 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>The key of the input row being handled, or null outside a row (top level, declarations).</summary>
    public string? RowKey { get; }

    /// <summary>The message without the file, place and row prefix.</summary>
    public string Reason { get; }

    internal static string Format(string file, int line, int column, string? rowKey, string reason)
    {
        var place = line > 0 ? $"{file}:{line}:{column}" : file;
        return rowKey is null ? $"{place}: {reason}" : $"{place}: row {rowKey}: {reason}";
    }
}
