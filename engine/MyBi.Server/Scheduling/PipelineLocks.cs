using System.Collections.Concurrent;
using Npgsql;

namespace MyBi.Server.Scheduling;

/// <summary>Keeps two runs of one pipeline from overlapping: a second one is refused at once, never queued.</summary>
internal interface IPipelineLocks : IAsyncDisposable
{
    /// <summary>The held lock (dispose to release), or <see langword="null"/> when a run of the pipeline holds it.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string pipeline, CancellationToken cancellationToken);
}

/// <summary>Locks of one process, for the in-memory store, where no other process runs the same schedules.</summary>
internal sealed class ProcessPipelineLocks : IPipelineLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public Task<IAsyncDisposable?> TryAcquireAsync(string pipeline, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(pipeline, _ => new SemaphoreSlim(1, 1));
        return Task.FromResult<IAsyncDisposable?>(gate.Wait(0, CancellationToken.None) ? new Release(gate) : null);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// Session advisory locks in the scheduler's PostgreSQL database, shared by every instance: the job store runs each
/// fire once, but two jobs of one pipeline (sync and a report) may fire on two instances at once. The lock lives
/// on a connection of its own, so an instance that dies releases it with its session.
/// </summary>
internal sealed class PostgresPipelineLocks(NpgsqlDataSource dataSource) : IPipelineLocks
{
    public async Task<IAsyncDisposable?> TryAcquireAsync(string pipeline, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = "mybi pipeline " + pipeline });
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return new Release(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    /// <summary>Closing the session releases its advisory locks; a pooled connection would keep them, so pooling is off.</summary>
    private sealed class Release(NpgsqlConnection connection) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
