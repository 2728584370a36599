namespace MyBi.TestServers.ClickHouse.Chdb;

/// <summary>A running query whose output arrives in chunks.</summary>
internal sealed class ChdbStreamingQuery : IDisposable
{
    private readonly IntPtr _connection;
    private readonly ChdbResult _stream;
    private bool _finished;

    public ChdbStreamingQuery(IntPtr connection, ChdbResult stream)
    {
        _connection = connection;
        _stream = stream;
    }

    /// <summary>Counters summed over the chunks fetched so far.</summary>
    public QueryStatistics Statistics { get; private set; }

    /// <summary>The next chunk, or null at the end. Throws <see cref="ChdbException"/> on a query error.</summary>
    public ChdbResult? Fetch()
    {
        if (_finished)
        {
            return null;
        }

        var chunk = ChdbResult.Wrap(NativeMethods.chdb_stream_fetch_result(_connection, _stream.Handle));
        Statistics += chunk.Statistics;
        if (chunk.Length == 0)
        {
            chunk.Dispose();
            _finished = true;
            return null;
        }

        return chunk;
    }

    public void Dispose()
    {
        if (!_finished)
        {
            NativeMethods.chdb_stream_cancel_query(_connection, _stream.Handle);
            _finished = true;
        }

        _stream.Dispose();
    }
}
