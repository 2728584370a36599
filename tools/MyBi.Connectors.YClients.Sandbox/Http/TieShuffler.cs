namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>Emulates the live API's offset pagination over a sort that does not break ties: when enabled,
/// rows sharing a sort key come in a different order on each request, so page boundaries move.</summary>
internal sealed class TieShuffler(bool enabled, int seed)
{
    private long _requests;

    public IReadOnlyList<T> Apply<T, TKey>(IReadOnlyList<T> sorted, Func<T, TKey> key)
    {
        if (!enabled || sorted.Count < 2)
        {
            return sorted;
        }

        var random = new Random(unchecked(seed * 31 + (int)Interlocked.Increment(ref _requests)));
        var result = sorted.ToArray();
        var comparer = EqualityComparer<TKey>.Default;
        var start = 0;
        while (start < result.Length)
        {
            var end = start + 1;
            while (end < result.Length && comparer.Equals(key(result[end]), key(result[start])))
            {
                end++;
            }

            random.Shuffle(result.AsSpan(start, end - start));
            start = end;
        }

        return result;
    }
}
