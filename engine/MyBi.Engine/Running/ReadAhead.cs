using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace MyBi.Engine.Running;

/// <summary>
/// Reads a source on a task of its own into a queue of bounded length, so the next pages are fetched and parsed
/// while the current batch is normalized and written. The bound keeps memory flat however long the read is; items
/// and a failure of the source arrive in the order the source produced them.
/// </summary>
internal static class ReadAhead
{
    public static async IAsyncEnumerable<T> Of<T>(IAsyncEnumerable<T> source, int capacity, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        ExceptionDispatchInfo? failure = null;
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var item in source.WithCancellation(stop.Token).ConfigureAwait(false))
                    {
                        await channel.Writer.WriteAsync(item, stop.Token).ConfigureAwait(false);
                    }
                }
                catch (Exception ex)
                {
                    // Handed to the reader after the items before it, as the source would have thrown it.
                    failure = ExceptionDispatchInfo.Capture(ex);
                }
                finally
                {
                    channel.Writer.TryComplete();
                }
            },
            CancellationToken.None);

        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }

            await producer.ConfigureAwait(false);
            failure?.Throw();
        }
        finally
        {
            // A reader that stops early (quota, failure, cancellation) stops the source and waits for it, so no
            // request outlives the run and the session can be disposed.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }
}
