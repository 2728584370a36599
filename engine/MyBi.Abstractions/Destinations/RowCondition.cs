namespace MyBi.Abstractions.Destinations;

/// <summary>How a <see cref="RowCondition"/> compares a column with its value.</summary>
public enum ConditionOperator
{
    /// <summary>column = value.</summary>
    Equal,

    /// <summary>column &lt;&gt; value (rows where the column is null do not match).</summary>
    NotEqual,

    /// <summary>column &gt;= value.</summary>
    GreaterOrEqual,

    /// <summary>column &lt;= value.</summary>
    LessOrEqual,

    /// <summary>column &lt; value.</summary>
    Less,
}

/// <summary>One condition of a delete; conditions are combined with AND and their values are always parameters.</summary>
public sealed record RowCondition(string Column, ConditionOperator Operator, object Value);
