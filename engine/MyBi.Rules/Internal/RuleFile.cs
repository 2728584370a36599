using System.Runtime.InteropServices;
using System.Text;

namespace MyBi.Rules.Internal;

/// <summary>
/// Reads a rule file only when it is a regular file of bounded size: a device such as /dev/zero would be read
/// until memory runs out, and opening a FIFO blocks until someone writes to it.
/// </summary>
internal static partial class RuleFile
{
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    /// <summary>The text of the file, or a reason it cannot be a rule file.</summary>
    public static string Read(string path, int maxBytes)
    {
        if (Directory.Exists(path))
        {
            throw new IOException("it is a folder, not a file");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException("the file does not exist");
        }

        if (!OperatingSystem.IsWindows() && FileType(path) is int type && type != RegularFile)
        {
            throw new IOException($"it is {Describe(type)}, not a regular file");
        }

        if (new FileInfo(path).Length > maxBytes)
        {
            throw new IOException($"it has {new FileInfo(path).Length} bytes; rule files are limited to {maxBytes}");
        }

        // The size a file system reports may be wrong (procfs says 0), so the read itself is bounded too.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var buffer = new byte[maxBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        if (total > maxBytes)
        {
            throw new IOException($"it has more than {maxBytes} bytes; rule files are limited to {maxBytes}");
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetString(buffer, 0, total).TrimStart('\uFEFF');
    }

    private static string Describe(int type) => type switch
    {
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "a special file",
    };

    /// <summary>
    /// The S_IFMT bits of the file's mode, through the runtime's own native shim: its status structure is the same
    /// on every platform and architecture, with the mode right after a 4-byte flags field. Null when it cannot tell.
    /// </summary>
    private static int? FileType(string path)
    {
        var status = new byte[256];
        try
        {
            return Stat(path, status) == 0 ? BitConverter.ToInt32(status, 4) & FileTypeMask : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, [Out] byte[] status);
}
