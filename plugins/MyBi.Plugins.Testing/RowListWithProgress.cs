using System.Collections;

namespace MyBi.Plugins.Testing;

/// <summary>
/// A batch's rows that report when the destination has consumed a given share of them, so an interruption can be
/// aimed at the middle of a write without guessing with delays.
/// </summary>
internal sealed class RowListWithProgress : IReadOnlyList<object?[]>
{
    private readonly IReadOnlyList<object?[]> _rows;
    private readonly int _signalAt;
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RowListWithProgress(IReadOnlyList<object?[]> rows, int signalAt)
    {
        _rows = rows;
        _signalAt = signalAt;
    }

    /// <summary>Completes once the row at the signal position has been read.</summary>
    public Task Reached => _reached.Task;

    public int Count => _rows.Count;

    public object?[] this[int index]
    {
        get
        {
            if (index >= _signalAt)
            {
                _reached.TrySetResult();
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
