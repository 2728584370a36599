using System.IO.Compression;
using ClickHouse.Driver.Compression;
using Microsoft.AspNetCore.Http;
using MyBi.TestServers.ClickHouse.Chdb;

namespace MyBi.TestServers.ClickHouse.Http;

/// <summary>Opens a request body, undoing its Content-Encoding.</summary>
internal static class RequestBody
{
    public static Stream Open(HttpRequest request)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        return encoding switch
        {
            "" or "identity" or "none" => request.Body,
            "gzip" or "x-gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            "deflate" => new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            "br" => new BrotliStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            "zstd" => ZstdCompressor.Default.Decompress(request.Body, true),
            "lz4" => Lz4Compressor.Default.Decompress(request.Body, true),
            _ => throw new ChdbException(1001, "STD_EXCEPTION", $"Unknown Content-Encoding '{encoding}'"),
        };
    }

    /// <summary>Reads until <paramref name="buffer"/> holds at least <paramref name="wanted"/> more bytes or the stream ends.</summary>
    public static async Task<bool> FillAsync(Stream stream, MemoryStream buffer, int wanted, CancellationToken cancellationToken)
    {
        var chunk = new byte[Math.Min(wanted, 1 << 16)];
        var read = 0;
        while (read < wanted)
        {
            var n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return true;
            }

            buffer.Write(chunk, 0, n);
            read += n;
        }

        return false;
    }
}
