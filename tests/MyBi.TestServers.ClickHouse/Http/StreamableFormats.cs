namespace MyBi.TestServers.ClickHouse.Http;

/// <summary>
/// chDB formats every chunk of a streaming query as a complete output, so a format's header (column names, types)
/// repeats in each chunk. This knows which formats can still be streamed by dropping the header of every chunk
/// after the first; the rest (JSON, Pretty…, with a prefix and suffix) are answered in one piece.
/// </summary>
internal static class StreamableFormats
{
    private static readonly HashSet<string> s_plain = new(StringComparer.OrdinalIgnoreCase)
    {
        "RowBinary", "TabSeparated", "TSV", "TabSeparatedRaw", "TSVRaw", "CSV", "JSONEachRow", "JSONCompactEachRow",
        "JSONStringsEachRow", "JSONCompactStringsEachRow", "NDJSON", "JSONLines", "Values", "RawBLOB", "LineAsString",
    };

    private static readonly Dictionary<string, int> s_textHeaderLines = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TabSeparatedWithNames"] = 1,
        ["TSVWithNames"] = 1,
        ["TabSeparatedWithNamesAndTypes"] = 2,
        ["TSVWithNamesAndTypes"] = 2,
        ["CSVWithNames"] = 1,
        ["CSVWithNamesAndTypes"] = 2,
    };

    /// <summary>Whether results of this format may be streamed.</summary>
    public static bool CanStream(string format) =>
        s_plain.Contains(format) || s_textHeaderLines.ContainsKey(format)
        || format.Equals("RowBinaryWithNames", StringComparison.OrdinalIgnoreCase)
        || format.Equals("RowBinaryWithNamesAndTypes", StringComparison.OrdinalIgnoreCase);

    /// <summary>How many leading bytes of a chunk are the header that only the first chunk may keep.</summary>
    public static int HeaderLength(string format, ReadOnlySpan<byte> chunk)
    {
        if (s_plain.Contains(format))
        {
            return 0;
        }

        if (s_textHeaderLines.TryGetValue(format, out var lines))
        {
            var position = 0;
            for (var i = 0; i < lines; i++)
            {
                var newline = chunk[position..].IndexOf((byte)'\n');
                position = newline < 0 ? chunk.Length : position + newline + 1;
            }

            return position;
        }

        // RowBinaryWithNames[AndTypes]: varint column count, then that many length-prefixed names (and types).
        var offset = 0;
        var columns = (int)ReadVarUInt(chunk, ref offset);
        var strings = format.EndsWith("AndTypes", StringComparison.OrdinalIgnoreCase) ? columns * 2 : columns;
        for (var i = 0; i < strings; i++)
        {
            var length = (int)ReadVarUInt(chunk, ref offset);
            offset += length;
        }

        return offset;
    }

    private static ulong ReadVarUInt(ReadOnlySpan<byte> data, ref int offset)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = data[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        return value;
    }
}
