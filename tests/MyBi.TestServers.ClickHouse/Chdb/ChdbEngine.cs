using System.Runtime.InteropServices;
using System.Text;

namespace MyBi.TestServers.ClickHouse.Chdb;

/// <summary>
/// The chDB engine of this process: one data directory, one connection kept open for the process lifetime (so the
/// engine stays booted), and a gate that lets one request at a time use it (chDB runs one statement per process
/// at a time reliably; the tests need correctness, not parallelism).
/// </summary>
internal sealed class ChdbEngine : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _dataPath;
    private readonly ChdbSession _boot;

    public ChdbEngine(string libraryPath, string dataPath)
    {
        if (!File.Exists(libraryPath))
        {
            throw new FileNotFoundException($"libchdb.so not found at '{libraryPath}'. Run 'bash .ci/clickhouse.sh start' or pass --chdb <path>.", libraryPath);
        }

        Directory.CreateDirectory(dataPath);
        _dataPath = Path.GetFullPath(dataPath);
        NativeMethods.UseLibrary(libraryPath);
        _boot = Open([]);
        using var result = _boot.Query("SELECT version(), timezone()"u8, "TabSeparated", []);
        var fields = Encoding.UTF8.GetString(result.Data).TrimEnd('\n').Split('\t');
        Version = fields[0];
        Timezone = fields.Length > 1 && fields[1] == "Etc/UTC" ? "UTC" : fields.ElementAtOrDefault(1) ?? "UTC";
    }

    /// <summary>The ClickHouse version of the library, e.g. 26.7.2.1.</summary>
    public string Version { get; }

    /// <summary>The server time zone.</summary>
    public string Timezone { get; }

    /// <summary>Waits for exclusive use of the engine.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_gate);
    }

    /// <summary>Opens a session with the given settings (call only while holding the gate).</summary>
    public unsafe ChdbSession Open(IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        var arguments = new List<string> { "clickhouse", "--path=" + _dataPath };
        foreach (var (name, value) in settings)
        {
            arguments.Add("--" + name + "=" + value);
        }

        var pointers = arguments.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        try
        {
            IntPtr connection;
            fixed (IntPtr* argv = pointers)
            {
                connection = NativeMethods.chdb_connect(pointers.Length, argv);
            }

            if (connection == IntPtr.Zero || *(IntPtr*)connection == IntPtr.Zero)
            {
                throw new ChdbException(115, "UNKNOWN_SETTING", "chDB refused the connection settings: " + string.Join(", ", settings.Select(s => s.Key)));
            }

            return new ChdbSession(connection);
        }
        finally
        {
            foreach (var pointer in pointers)
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    public void Dispose()
    {
        _boot.Dispose();
        _gate.Dispose();
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }
}
