using System.Runtime.InteropServices;

namespace MyBi.TestServers.ClickHouse.Chdb;

/// <summary>Owns one chdb_result handle; its data stays valid until disposed.</summary>
internal sealed unsafe class ChdbResult : IDisposable
{
    private IntPtr _handle;

    private ChdbResult(IntPtr handle)
    {
        _handle = handle;
    }

    public QueryStatistics Statistics => new(
        NativeMethods.chdb_result_rows_read(_handle),
        NativeMethods.chdb_result_bytes_read(_handle),
        NativeMethods.chdb_result_rows_written(_handle),
        NativeMethods.chdb_result_bytes_written(_handle),
        NativeMethods.chdb_result_elapsed(_handle));

    public int Length => (int)NativeMethods.chdb_result_length(_handle);

    /// <summary>The result bytes; valid until the result is disposed.</summary>
    public ReadOnlySpan<byte> Data
    {
        get
        {
            var buffer = NativeMethods.chdb_result_buffer(_handle);
            var length = Length;
            return buffer == IntPtr.Zero || length == 0 ? [] : new ReadOnlySpan<byte>((void*)buffer, length);
        }
    }

    /// <summary>Takes ownership of a handle and throws (after freeing it) if it carries an error.</summary>
    public static ChdbResult Wrap(IntPtr handle)
    {
        if (handle == IntPtr.Zero)
        {
            throw new ChdbException(1000, "POCO_EXCEPTION", "chDB returned no result");
        }

        var error = NativeMethods.chdb_result_error(handle);
        if (error != IntPtr.Zero)
        {
            var message = Marshal.PtrToStringUTF8(error);
            if (!string.IsNullOrEmpty(message))
            {
                NativeMethods.chdb_destroy_query_result(handle);
                throw new ChdbException(message);
            }
        }

        return new ChdbResult(handle);
    }

    /// <summary>The handle, for calls that take the stream result.</summary>
    public IntPtr Handle => _handle;

    public void Dispose()
    {
        if (_handle != IntPtr.Zero)
        {
            NativeMethods.chdb_destroy_query_result(_handle);
            _handle = IntPtr.Zero;
        }
    }
}
