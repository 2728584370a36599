using System.Runtime.InteropServices;

namespace MyBi.TestServers.ClickHouse.Chdb;

/// <summary>
/// A streaming INSERT: data chunks go in with <see cref="Append"/>, <see cref="Complete"/> commits. Disposing an
/// unfinished stream cancels it, so a request whose body breaks off commits nothing it had not yet flushed.
/// </summary>
internal sealed unsafe class ChdbInsertStream : IDisposable
{
    private IntPtr _stream;
    private bool _completed;

    public ChdbInsertStream(IntPtr stream)
    {
        _stream = stream;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        fixed (byte* pointer = data)
        {
            if (NativeMethods.chdb_stream_append(_stream, pointer, (nuint)data.Length) != 0)
            {
                throw Failure();
            }
        }
    }

    public QueryStatistics Complete()
    {
        _completed = true;
        using var result = ChdbResult.Wrap(NativeMethods.chdb_stream_done(_stream));
        return result.Statistics;
    }

    private ChdbException Failure()
    {
        var error = NativeMethods.chdb_stream_insert_error(_stream);
        var message = error == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(error);
        return string.IsNullOrEmpty(message)
            ? new ChdbException(1000, "POCO_EXCEPTION", "The insert stream failed")
            : new ChdbException(message);
    }

    public void Dispose()
    {
        if (_stream == IntPtr.Zero)
        {
            return;
        }

        if (!_completed)
        {
            NativeMethods.chdb_stream_cancel_insert(_stream);
        }

        NativeMethods.chdb_destroy_insert_stream(_stream);
        _stream = IntPtr.Zero;
    }
}
