using System.Collections;

namespace MyBi.Destinations.DuckDb.Tests;

/// <summary>Rows that cancel a token when the destination reads the row at a given index.</summary>
internal sealed class CancellingRows : IReadOnlyList<object?[]>
{
    private readonly IReadOnlyList<object?[]> _rows;
    private readonly int _cancelAt;
    private readonly CancellationTokenSource _source;

    public CancellingRows(IReadOnlyList<object?[]> rows, int cancelAt, CancellationTokenSource source)
    {
        _rows = rows;
        _cancelAt = cancelAt;
        _source = source;
    }

    public int Count => _rows.Count;

    public object?[] this[int index]
    {
        get
        {
            if (index == _cancelAt)
            {
                _source.Cancel();
            }

            return _rows[index];
        }
    }

    public IEnumerator<object?[]> GetEnumerator()
    {
        for (var i = 0; i < _rows.Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
