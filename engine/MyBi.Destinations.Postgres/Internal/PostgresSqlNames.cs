using System.Text;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>Identifier quoting: every schema, table and column name goes through here before it enters SQL.</summary>
internal static class PostgresSqlNames
{
    /// <summary>The staging table of a merge; it lives in the session's pg_temp schema and is dropped on commit.</summary>
    public const string StagingTable = "pg_temp.\"mybi_staging\"";

    /// <summary>The staging column that keeps the position of each row in its batch, so the last row of a key wins.</summary>
    public const string ArrivalColumn = "__mybi_arrival";

    /// <summary>Quotes an identifier: wraps it in double quotes and doubles the quotes inside it.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Qualified(string schema, string table) => Quote(schema) + "." + Quote(table);

    public static string List(IEnumerable<string> identifiers, string? prefix = null)
    {
        var builder = new StringBuilder();
        foreach (var identifier in identifiers)
        {
            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            builder.Append(prefix).Append(Quote(identifier));
        }

        return builder.ToString();
    }
}
