namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// A first, lexical gate for <see cref="PostgresDestination.QueryAsync"/>: exactly one statement, starting with a
/// reading keyword. The read-only transaction the query then runs in is what actually refuses writes; this gate
/// exists because a second statement could end that transaction (<c>COMMIT; DROP …</c>).
/// </summary>
internal static class ReadOnlyQuery
{
    /// <summary>Statements returned through a cursor, so a row limit never needs to read the whole result.</summary>
    private static readonly string[] s_cursorKeywords = ["select", "with", "values", "table", "("];

    private static readonly string[] s_directKeywords = ["explain", "show"];

    public enum Kind
    {
        Refused,
        Cursor,
        Direct,
    }

    /// <summary>Classifies a query; for a refused one, <paramref name="reason"/> says why in a user's words.</summary>
    public static Kind Classify(string sql, out string statement, out string reason)
    {
        statement = string.Empty;
        reason = string.Empty;
        var statements = Split(sql);
        if (statements is null)
        {
            reason = "it has an unterminated quote, dollar quote or comment";
            return Kind.Refused;
        }

        if (statements.Count != 1)
        {
            reason = statements.Count == 0 ? "it is empty" : "it holds more than one statement; run one at a time";
            return Kind.Refused;
        }

        statement = statements[0];
        var keyword = FirstKeyword(statement);
        if (s_cursorKeywords.Contains(keyword, StringComparer.Ordinal))
        {
            return Kind.Cursor;
        }

        if (s_directKeywords.Contains(keyword, StringComparer.Ordinal))
        {
            return Kind.Direct;
        }

        reason = $"it starts with '{keyword}'; only SELECT, WITH, VALUES, TABLE, EXPLAIN and SHOW are allowed";
        return Kind.Refused;
    }

    /// <summary>Splits SQL at top-level semicolons; null when a quote or comment never ends.</summary>
    internal static List<string>? Split(string sql)
    {
        var statements = new List<string>();
        var start = 0;
        var hasCode = false;
        var i = 0;
        while (i < sql.Length)
        {
            var ch = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            if (ch == '-' && next == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
            }
            else if (ch == '/' && next == '*')
            {
                i = SkipBlockComment(sql, i);
                if (i < 0)
                {
                    return null;
                }
            }
            else if (ch == '\'')
            {
                var escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentifierChar(sql[i - 2]));
                i = SkipQuoted(sql, i, '\'', escapes);
                hasCode = true;
                if (i < 0)
                {
                    return null;
                }
            }
            else if (ch == '"')
            {
                i = SkipQuoted(sql, i, '"', backslashEscapes: false);
                hasCode = true;
                if (i < 0)
                {
                    return null;
                }
            }
            else if (ch == '$' && (i == 0 || !IsIdentifierChar(sql[i - 1])) && DollarTag(sql, i) is { } tag)
            {
                var end = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                if (end < 0)
                {
                    return null;
                }

                i = end + tag.Length;
                hasCode = true;
            }
            else if (ch == ';')
            {
                if (hasCode)
                {
                    statements.Add(sql[start..i]);
                }

                start = i + 1;
                hasCode = false;
                i++;
            }
            else
            {
                hasCode |= !char.IsWhiteSpace(ch);
                i++;
            }
        }

        if (hasCode)
        {
            statements.Add(sql[start..]);
        }

        return statements;
    }

    private static string FirstKeyword(string statement)
    {
        var i = 0;
        while (i < statement.Length)
        {
            if (char.IsWhiteSpace(statement[i]))
            {
                i++;
            }
            else if (statement[i] == '-' && i + 1 < statement.Length && statement[i + 1] == '-')
            {
                var end = statement.IndexOf('\n', i);
                i = end < 0 ? statement.Length : end + 1;
            }
            else if (statement[i] == '/' && i + 1 < statement.Length && statement[i + 1] == '*')
            {
                i = SkipBlockComment(statement, i);
                if (i < 0)
                {
                    return string.Empty;
                }
            }
            else
            {
                break;
            }
        }

        if (i < statement.Length && statement[i] == '(')
        {
            return "(";
        }

        var start = i;
        while (i < statement.Length && char.IsAsciiLetter(statement[i]))
        {
            i++;
        }

        return statement[start..i].ToLowerInvariant();
    }

    private static int SkipBlockComment(string sql, int i)
    {
        // PostgreSQL block comments nest.
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && i + 1 < sql.Length && sql[i + 1] == '/')
            {
                depth--;
                i += 2;
                if (depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return -1;
    }

    private static int SkipQuoted(string sql, int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < sql.Length)
        {
            if (backslashEscapes && sql[i] == '\\')
            {
                i += 2;
            }
            else if (sql[i] == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                }
                else
                {
                    return i + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return -1;
    }

    private static string? DollarTag(string sql, int i)
    {
        var j = i + 1;
        if (j < sql.Length && char.IsAsciiDigit(sql[j]))
        {
            return null;
        }

        while (j < sql.Length && (char.IsLetterOrDigit(sql[j]) || sql[j] == '_'))
        {
            j++;
        }

        return j < sql.Length && sql[j] == '$' ? sql[i..(j + 1)] : null;
    }

    private static bool IsIdentifierChar(char ch) => char.IsLetterOrDigit(ch) || ch == '_' || ch == '$';
}
