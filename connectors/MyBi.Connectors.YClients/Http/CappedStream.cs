namespace MyBi.Connectors.YClients.Http;

/// <summary>
/// A read-only view of an answer's body that fails once more than a set number of bytes were read. It wraps the
/// decompressed stream, so a small gzip answer that inflates past the cap is stopped as soon as it does.
/// </summary>
internal sealed class CappedStream(Stream inner, long cap) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        _read += read;
        if (_read > cap)
        {
            throw new AnswerTooLargeException();
        }

        return read;
    }
}

/// <summary>Thrown by <see cref="CappedStream"/>; not an <see cref="IOException"/>, so it is never retried.</summary>
internal sealed class AnswerTooLargeException : Exception
{
    public AnswerTooLargeException()
        : base("The answer is larger than the configured cap.")
    {
    }
}
