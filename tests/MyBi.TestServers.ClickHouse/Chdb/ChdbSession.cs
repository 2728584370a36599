using System.Runtime.InteropServices;
using System.Text;

namespace MyBi.TestServers.ClickHouse.Chdb;

/// <summary>
/// One chDB connection opened for one HTTP request, so that the request's settings (given as connection
/// arguments, which chDB applies like SET) and current database never leak into another request.
/// Only used while <see cref="ChdbEngine"/>'s gate is held.
/// </summary>
internal sealed unsafe class ChdbSession : IDisposable
{
    private IntPtr _connectionPointer;

    public ChdbSession(IntPtr connectionPointer)
    {
        _connectionPointer = connectionPointer;
    }

    private IntPtr Connection => *(IntPtr*)_connectionPointer;

    /// <summary>Runs a statement and returns its whole output.</summary>
    public ChdbResult Query(ReadOnlySpan<byte> sql, string format, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var formatBytes = Encoding.UTF8.GetBytes(format);
        using var pinned = new PinnedParameters(parameters);
        var connection = Connection;
        fixed (byte* query = sql)
        fixed (byte* formatPointer = formatBytes)
        {
            return ChdbResult.Wrap(NativeMethods.chdb_query_with_params_n(
                connection, query, (nuint)sql.Length, formatPointer, (nuint)formatBytes.Length,
                pinned.Names, pinned.NameLengths, pinned.Values, pinned.ValueLengths, pinned.Count));
        }
    }

    /// <summary>Runs a statement whose output is fetched chunk by chunk.</summary>
    public ChdbStreamingQuery StreamQuery(ReadOnlySpan<byte> sql, string format, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var formatBytes = Encoding.UTF8.GetBytes(format);
        using var pinned = new PinnedParameters(parameters);
        var connection = Connection;
        fixed (byte* query = sql)
        fixed (byte* formatPointer = formatBytes)
        {
            var result = ChdbResult.Wrap(NativeMethods.chdb_stream_query_with_params_n(
                connection, query, (nuint)sql.Length, formatPointer, (nuint)formatBytes.Length,
                pinned.Names, pinned.NameLengths, pinned.Values, pinned.ValueLengths, pinned.Count));
            return new ChdbStreamingQuery(connection, result);
        }
    }

    /// <summary>Starts an INSERT (without FORMAT clause or data) whose data is appended in chunks.</summary>
    public ChdbInsertStream BeginInsert(ReadOnlySpan<byte> sql, string format, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var formatBytes = Encoding.UTF8.GetBytes(format);
        using var pinned = new PinnedParameters(parameters);
        var connection = Connection;
        IntPtr stream;
        fixed (byte* query = sql)
        fixed (byte* formatPointer = formatBytes)
        {
            stream = NativeMethods.chdb_stream_insert_with_params_n(
                connection, query, (nuint)sql.Length, formatPointer, (nuint)formatBytes.Length,
                pinned.Names, pinned.NameLengths, pinned.Values, pinned.ValueLengths, pinned.Count);
        }

        if (stream == IntPtr.Zero)
        {
            throw new ChdbException(1000, "POCO_EXCEPTION", "chDB could not start the insert");
        }

        var error = NativeMethods.chdb_stream_insert_error(stream);
        if (error != IntPtr.Zero && Marshal.PtrToStringUTF8(error) is { Length: > 0 } message)
        {
            NativeMethods.chdb_destroy_insert_stream(stream);
            throw new ChdbException(message);
        }

        return new ChdbInsertStream(stream);
    }

    /// <summary>
    /// How many statements the text holds (0 if it does not parse) and whether it only reads, as chDB's own parser
    /// decides.
    /// </summary>
    public (int Statements, bool ReadOnly) Classify(ReadOnlySpan<byte> sql)
    {
        var analysis = new NativeMethods.QueryAnalysis { StructSize = (uint)sizeof(NativeMethods.QueryAnalysis) };
        fixed (byte* query = sql)
        {
            var state = NativeMethods.chdb_classify_query_n(Connection, query, (nuint)sql.Length, null, 0, &analysis);
            return state == 0 ? ((int)analysis.StatementCount, analysis.QueryClass == 0) : (0, false);
        }
    }

    /// <summary>Makes <paramref name="database"/> the current database of this session.</summary>
    public void Use(string database)
    {
        var sql = Encoding.UTF8.GetBytes("USE `" + database.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal) + "`");
        using var result = Query(sql, "TabSeparated", []);
    }

    public void Dispose()
    {
        if (_connectionPointer != IntPtr.Zero)
        {
            NativeMethods.chdb_close_conn(_connectionPointer);
            _connectionPointer = IntPtr.Zero;
        }
    }
}
