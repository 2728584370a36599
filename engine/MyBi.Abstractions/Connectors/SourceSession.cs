using MyBi.Abstractions.Streams;

namespace MyBi.Abstractions.Connectors;

/// <summary>An open, authenticated connection to a source.</summary>
public abstract class SourceSession : IAsyncDisposable
{
    /// <summary>
    /// Reads the requested streams. Rows of all streams may interleave. A <see cref="SourceCheckpoint"/>
    /// marks that everything before it may be committed together with the state it carries.
    /// </summary>
    public abstract IAsyncEnumerable<SourceMessage> ReadAsync(ReadRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
