using System.Text;

namespace MyBi.TestServers.ClickHouse.Http;

/// <summary>
/// A small lexer over UTF-8 SQL text, just enough to find what the HTTP interface needs: where the data of an
/// <c>INSERT … FORMAT x</c> / <c>INSERT … VALUES</c> begins, and the output format a query names. It skips string
/// literals, quoted identifiers and comments, and tracks parentheses so a FORMAT inside a subquery is not taken.
/// </summary>
internal static class SqlScanner
{
    /// <summary>Where an INSERT's inline data begins.</summary>
    /// <param name="QueryLength">Bytes of the statement without its FORMAT clause / VALUES keyword.</param>
    /// <param name="Format">The input format.</param>
    /// <param name="DataStart">Offset of the first data byte.</param>
    internal readonly record struct InsertSplit(int QueryLength, string Format, int DataStart);

    /// <summary>
    /// Finds the data of an INSERT statement. Returns null when the text is not an INSERT or the INSERT takes its
    /// rows from a SELECT. <paramref name="complete"/> is false when more text is needed to decide.
    /// </summary>
    public static InsertSplit? FindInsertData(ReadOnlySpan<byte> sql, out bool complete)
    {
        complete = true;
        var position = 0;
        var depth = 0;
        var first = true;
        while (NextToken(sql, ref position, out var start, out var kind))
        {
            if (kind == TokenKind.Punctuation)
            {
                depth += sql[start] == '(' ? 1 : sql[start] == ')' ? -1 : 0;
                if (sql[start] == ';' && depth == 0)
                {
                    return null;
                }

                continue;
            }

            if (kind != TokenKind.Word)
            {
                continue;
            }

            var word = sql[start..position];
            if (first)
            {
                first = false;
                if (!Is(word, "INSERT"u8))
                {
                    return null;
                }

                continue;
            }

            if (depth != 0)
            {
                continue;
            }

            if (Is(word, "SELECT"u8) || Is(word, "WITH"u8))
            {
                return null;
            }

            if (Is(word, "VALUES"u8))
            {
                return new InsertSplit(start, "Values", position);
            }

            if (Is(word, "FORMAT"u8))
            {
                var formatEnd = position;
                if (!NextToken(sql, ref formatEnd, out var formatStart, out var formatKind) || formatKind != TokenKind.Word)
                {
                    complete = false;
                    return null;
                }

                if (formatEnd >= sql.Length)
                {
                    // The format name may continue in text not read yet.
                    complete = false;
                }

                var data = formatEnd;
                while (data < sql.Length && (sql[data] == ' ' || sql[data] == '\t' || sql[data] == '\f'))
                {
                    data++;
                }

                if (data < sql.Length && sql[data] == '\r')
                {
                    data++;
                }

                if (data < sql.Length && sql[data] == '\n')
                {
                    data++;
                }

                return new InsertSplit(start, Encoding.UTF8.GetString(sql[formatStart..formatEnd]), data);
            }
        }

        complete = position >= sql.Length;
        return null;
    }

    /// <summary>The format named by a top-level FORMAT clause of a query, or null.</summary>
    public static string? FindOutputFormat(ReadOnlySpan<byte> sql)
    {
        var position = 0;
        var depth = 0;
        string? format = null;
        while (NextToken(sql, ref position, out var start, out var kind))
        {
            if (kind == TokenKind.Punctuation)
            {
                depth += sql[start] == '(' ? 1 : sql[start] == ')' ? -1 : 0;
                continue;
            }

            if (kind == TokenKind.Word && depth == 0 && Is(sql[start..position], "FORMAT"u8))
            {
                var end = position;
                if (NextToken(sql, ref end, out var formatStart, out var formatKind) && formatKind == TokenKind.Word)
                {
                    format = Encoding.UTF8.GetString(sql[formatStart..end]);
                    position = end;
                }
            }
        }

        return format;
    }

    private enum TokenKind
    {
        Word,
        Literal,
        Punctuation,
    }

    private static bool Is(ReadOnlySpan<byte> word, ReadOnlySpan<byte> keyword) => Ascii.EqualsIgnoreCase(word, keyword);

    private static bool IsWordByte(byte b) => b == '_' || b >= 0x80 || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');

    private static bool NextToken(ReadOnlySpan<byte> sql, ref int position, out int start, out TokenKind kind)
    {
        while (position < sql.Length)
        {
            var b = sql[position];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\f')
            {
                position++;
                continue;
            }

            if ((b == '-' && position + 1 < sql.Length && sql[position + 1] == '-') || b == '#')
            {
                while (position < sql.Length && sql[position] != '\n')
                {
                    position++;
                }

                continue;
            }

            if (b == '/' && position + 1 < sql.Length && sql[position + 1] == '*')
            {
                var close = sql[(position + 2)..].IndexOf("*/"u8);
                position = close < 0 ? sql.Length : position + 2 + close + 2;
                continue;
            }

            start = position;
            if (b is (byte)'\'' or (byte)'"' or (byte)'`')
            {
                position++;
                while (position < sql.Length)
                {
                    var c = sql[position++];
                    if (c == '\\')
                    {
                        position++;
                    }
                    else if (c == b)
                    {
                        if (position < sql.Length && sql[position] == b)
                        {
                            position++;
                            continue;
                        }

                        break;
                    }
                }

                kind = b == '\'' ? TokenKind.Literal : TokenKind.Word;
                position = Math.Min(position, sql.Length);
                return true;
            }

            if (IsWordByte(b))
            {
                while (position < sql.Length && IsWordByte(sql[position]))
                {
                    position++;
                }

                kind = TokenKind.Word;
                return true;
            }

            position++;
            kind = TokenKind.Punctuation;
            return true;
        }

        start = position;
        kind = TokenKind.Punctuation;
        return false;
    }
}
