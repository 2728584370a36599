using System.Reflection;
using System.Runtime.InteropServices;

namespace MyBi.TestServers.ClickHouse.Chdb;

/// <summary>The part of chDB's C API (chdb.h) the front end uses. All strings are passed with explicit lengths.</summary>
internal static unsafe partial class NativeMethods
{
    private const string Library = "chdb";
    private static string? s_libraryPath;

    /// <summary>Points the "chdb" import at a file; must run before the first call.</summary>
    public static void UseLibrary(string path)
    {
        s_libraryPath = path;
        NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == Library && s_libraryPath is not null ? NativeLibrary.Load(s_libraryPath) : IntPtr.Zero;

    /// <summary>Returns a pointer to a connection handle (chdb_connection*), or null.</summary>
    [LibraryImport(Library)]
    public static partial IntPtr chdb_connect(int argc, IntPtr* argv);

    [LibraryImport(Library)]
    public static partial void chdb_close_conn(IntPtr connectionPointer);

    [LibraryImport(Library)]
    public static partial IntPtr chdb_query_n(IntPtr connection, byte* query, nuint queryLength, byte* format, nuint formatLength);

    [LibraryImport(Library)]
    public static partial IntPtr chdb_query_with_params_n(
        IntPtr connection,
        byte* query,
        nuint queryLength,
        byte* format,
        nuint formatLength,
        IntPtr* names,
        nuint* nameLengths,
        IntPtr* values,
        nuint* valueLengths,
        nuint count);

    [LibraryImport(Library)]
    public static partial IntPtr chdb_stream_query_with_params_n(
        IntPtr connection,
        byte* query,
        nuint queryLength,
        byte* format,
        nuint formatLength,
        IntPtr* names,
        nuint* nameLengths,
        IntPtr* values,
        nuint* valueLengths,
        nuint count);

    [LibraryImport(Library)]
    public static partial IntPtr chdb_stream_fetch_result(IntPtr connection, IntPtr streamResult);

    [LibraryImport(Library)]
    public static partial void chdb_stream_cancel_query(IntPtr connection, IntPtr streamResult);

    [LibraryImport(Library)]
    public static partial void chdb_destroy_query_result(IntPtr result);

    [LibraryImport(Library)]
    public static partial IntPtr chdb_stream_insert_with_params_n(
        IntPtr connection,
        byte* query,
        nuint queryLength,
        byte* format,
        nuint formatLength,
        IntPtr* names,
        nuint* nameLengths,
        IntPtr* values,
        nuint* valueLengths,
        nuint count);

    [LibraryImport(Library)]
    public static partial int chdb_stream_append(IntPtr stream, byte* data, nuint length);

    [LibraryImport(Library)]
    public static partial IntPtr chdb_stream_done(IntPtr stream);

    [LibraryImport(Library)]
    public static partial void chdb_stream_cancel_insert(IntPtr stream);

    [LibraryImport(Library)]
    public static partial IntPtr chdb_stream_insert_error(IntPtr stream);

    [LibraryImport(Library)]
    public static partial void chdb_destroy_insert_stream(IntPtr stream);

    [LibraryImport(Library)]
    public static partial IntPtr chdb_result_buffer(IntPtr result);

    [LibraryImport(Library)]
    public static partial nuint chdb_result_length(IntPtr result);

    [LibraryImport(Library)]
    public static partial double chdb_result_elapsed(IntPtr result);

    [LibraryImport(Library)]
    public static partial ulong chdb_result_rows_read(IntPtr result);

    [LibraryImport(Library)]
    public static partial ulong chdb_result_bytes_read(IntPtr result);

    [LibraryImport(Library)]
    public static partial ulong chdb_result_rows_written(IntPtr result);

    [LibraryImport(Library)]
    public static partial ulong chdb_result_bytes_written(IntPtr result);

    [LibraryImport(Library)]
    public static partial IntPtr chdb_result_error(IntPtr result);

    [LibraryImport(Library)]
    public static partial int chdb_classify_query_n(
        IntPtr connection,
        byte* sql,
        nuint sqlLength,
        byte* targetDatabase,
        nuint targetDatabaseLength,
        QueryAnalysis* analysis);

    [LibraryImport(Library)]
    public static partial IntPtr chdb_version();

    /// <summary>chdb_query_analysis_v1.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct QueryAnalysis
    {
        public uint StructSize;
        public uint StatementCount;
        public uint Flags;
        public uint QueryClass;
    }
}
