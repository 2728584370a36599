using System.Text;

namespace MyBi.Destinations.ClickHouse.Internal;

/// <summary>Quoting of identifiers and string literals in ClickHouse SQL.</summary>
internal static class ClickHouseSql
{
    /// <summary>The hidden column every table gets: the version ReplacingMergeTree keeps the highest of.</summary>
    public const string VersionColumn = "_mybi_version";

    /// <summary>Suffix of the replicated table behind a Distributed table in cluster mode.</summary>
    public const string LocalSuffix = "_local";

    /// <summary>Quotes an identifier with backticks, escaping backslashes and backticks.</summary>
    public static string Identifier(string name) => "`" + Escape(name, '`') + "`";

    /// <summary>A database-qualified table name.</summary>
    public static string Table(string database, string table) => Identifier(database) + "." + Identifier(table);

    /// <summary>A single-quoted string literal.</summary>
    public static string Literal(string value) => "'" + Escape(value, '\'') + "'";

    private static string Escape(string value, char quote)
    {
        var builder = new StringBuilder(value.Length + 2);
        foreach (var c in value)
        {
            if (c == '\\' || c == quote)
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
