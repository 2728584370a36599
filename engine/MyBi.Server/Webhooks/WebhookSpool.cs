using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using MyBi.Abstractions.Errors;

namespace MyBi.Server.Webhooks;

/// <summary>
/// The local append-only file that holds accepted events while the destination cannot take them:
/// <c>.mybi/spool/&lt;pipeline&gt;.spool</c> beside the pipeline file. Each entry is a 4-byte length and a UTF-8 JSON
/// object; a whole batch is appended and flushed to the disk (fsync) once, before any of its requests is answered.
/// A torn entry at the end (the process died while writing it) was never answered and is ignored.
/// </summary>
internal sealed class WebhookSpool : IDisposable
{
    private const int MaxEntryBytes = 4 * 1024 * 1024;
    private readonly string _path;
    private readonly Lock _countLock = new();
    private FileStream? _stream;
    private long _entries = -1;

    public WebhookSpool(string pipelineDirectory, string pipeline)
    {
        _path = Path.Combine(pipelineDirectory, ".mybi", "spool", pipeline + ".spool");
    }

    public string FilePath => _path;

    /// <summary>Whether entries wait to be replayed.</summary>
    public bool HasEntries => _stream is { Length: > 0 } || (_stream is null && File.Exists(_path) && new FileInfo(_path).Length > 0);

    /// <summary>
    /// The whole entries waiting in the file: counted from the file once, then kept up to date by the appends and the
    /// clear, so the status page and /metrics do not walk the file on every request.
    /// </summary>
    public long Entries
    {
        get
        {
            lock (_countLock)
            {
                if (_entries < 0)
                {
                    _entries = CountEntries(_path);
                }

                return _entries;
            }
        }
    }

    /// <summary>Appends the entries and makes them durable; only then may their requests be answered.</summary>
    public void Append(IReadOnlyList<SpoolEntry> entries)
    {
        var stream = Open();
        stream.Seek(0, SeekOrigin.End);
        var prefix = new byte[4];
        foreach (var entry in entries)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(entry, SpoolJson.Default.SpoolEntry);
            BinaryPrimitives.WriteInt32LittleEndian(prefix, bytes.Length);
            stream.Write(prefix);
            stream.Write(bytes);
        }

        stream.Flush(flushToDisk: true);
        lock (_countLock)
        {
            _entries = _entries < 0 ? -1 : _entries + entries.Count;
        }
    }

    /// <summary>The whole entries in the order they were appended, in chunks of at most <paramref name="chunk"/>.</summary>
    public IEnumerable<IReadOnlyList<SpoolEntry>> Read(int chunk)
    {
        var stream = Open();
        stream.Seek(0, SeekOrigin.Begin);
        var prefix = new byte[4];
        var list = new List<SpoolEntry>();
        while (true)
        {
            if (stream.ReadAtLeast(prefix, 4, throwOnEndOfStream: false) < 4)
            {
                break;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
            if (length <= 0 || length > MaxEntryBytes)
            {
                throw MyBiException.System($"The webhook spool {_path} is damaged at byte {stream.Position - 4}; move it aside to go on.");
            }

            var bytes = new byte[length];
            if (stream.ReadAtLeast(bytes, length, throwOnEndOfStream: false) < length)
            {
                break;
            }

            list.Add(JsonSerializer.Deserialize(bytes, SpoolJson.Default.SpoolEntry)
                ?? throw MyBiException.System($"The webhook spool {_path} holds an empty entry."));
            if (list.Count >= chunk)
            {
                yield return list;
                list = [];
            }
        }

        if (list.Count > 0)
        {
            yield return list;
        }
    }

    /// <summary>Empties the file once every entry is committed in the destination.</summary>
    public void Clear()
    {
        var stream = Open();
        stream.SetLength(0);
        stream.Flush(flushToDisk: true);
        lock (_countLock)
        {
            _entries = 0;
        }
    }

    public void Dispose() => _stream?.Dispose();

    /// <summary>
    /// The whole entries waiting in a spool file, read without disturbing its writer (only the length prefixes are
    /// read); 0 when there is no file.
    /// </summary>
    private static long CountEntries(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var prefix = new byte[4];
            long count = 0;
            while (stream.ReadAtLeast(prefix, 4, throwOnEndOfStream: false) == 4)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
                if (length <= 0 || length > MaxEntryBytes || stream.Position + length > stream.Length)
                {
                    break;
                }

                stream.Seek(length, SeekOrigin.Current);
                count++;
            }

            return count;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }

    private FileStream Open()
    {
        if (_stream is not null)
        {
            return _stream;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        _stream = new FileStream(_path, options);
        TrimTornTail(_stream);
        return _stream;
    }

    /// <summary>
    /// Cuts an entry the process died writing (never answered): appending after it would make the entries behind it
    /// unreadable, and those were answered.
    /// </summary>
    private static void TrimTornTail(FileStream stream)
    {
        var prefix = new byte[4];
        long whole = 0;
        stream.Seek(0, SeekOrigin.Begin);
        while (stream.ReadAtLeast(prefix, 4, throwOnEndOfStream: false) == 4)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
            if (length <= 0 || length > MaxEntryBytes)
            {
                // Damage, not a torn write: keep every byte; Read names the place.
                return;
            }

            if (whole + 4 + length > stream.Length)
            {
                break;
            }

            stream.Seek(length, SeekOrigin.Current);
            whole = stream.Position;
        }

        if (whole < stream.Length)
        {
            stream.SetLength(whole);
            stream.Flush(flushToDisk: true);
        }
    }
}

/// <summary>One spooled item: an accepted event (<c>e</c>) or a rejected body kept for the quarantine (<c>q</c>).</summary>
internal sealed record SpoolEntry(string Kind, string Id, DateTimeOffset At, string Body, string? Reason);

[System.Text.Json.Serialization.JsonSerializable(typeof(SpoolEntry))]
internal sealed partial class SpoolJson : System.Text.Json.Serialization.JsonSerializerContext;
