using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;

namespace MyBi.Engine.Tests.Running;

/// <summary>A real destination whose next writes to one table fail with an error a test chooses, before reaching it.</summary>
internal sealed class FlakyDestination(Destination inner) : Destination
{
    private readonly Queue<(string Table, MyBiException Error)> _failures = new();

    public int Failed { get; private set; }

    public override string DisplayName => inner.DisplayName;

    /// <summary>The next <paramref name="times"/> writes to <paramref name="table"/> throw <paramref name="error"/>.</summary>
    public void FailWrites(string table, int times, MyBiException error)
    {
        for (var i = 0; i < times; i++)
        {
            _failures.Enqueue((table, error));
        }
    }

    public override ValueTask WriteAsync(RecordBatch batch, WriteMode mode, CancellationToken cancellationToken = default)
    {
        if (_failures.TryPeek(out var next) && next.Table == batch.Schema.Name)
        {
            _failures.Dequeue();
            Failed++;
            throw next.Error;
        }

        return inner.WriteAsync(batch, mode, cancellationToken);
    }

    public override ValueTask CheckAsync(CancellationToken cancellationToken = default) => inner.CheckAsync(cancellationToken);

    public override ValueTask EnsureTableAsync(TableSchema table, CancellationToken cancellationToken = default) => inner.EnsureTableAsync(table, cancellationToken);

    public override IAsyncEnumerable<object?[]> ReadTableAsync(TableSchema table, CancellationToken cancellationToken = default) => inner.ReadTableAsync(table, cancellationToken);

    public override ValueTask<bool> TableExistsAsync(string table, CancellationToken cancellationToken = default) => inner.TableExistsAsync(table, cancellationToken);

    public override ValueTask<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken = default) => inner.QueryAsync(sql, maxRows, cancellationToken);

    public override ValueTask<long> DeleteAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken = default) => inner.DeleteAsync(table, conditions, cancellationToken);

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
