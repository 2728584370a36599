using MyBi.Abstractions.Records;

namespace MyBi.Destinations.DuckDb.Internal;

/// <summary>
/// What a merge can skip for a batch keyed by one integer column: its keys are distinct (no "last row wins"
/// needed), and their range (to ask whether the table holds any of them).
/// </summary>
internal sealed class DistinctKeys
{
    private DistinctKeys(HashSet<long> keys, long min, long max)
    {
        Keys = keys;
        Range = (min, max);
    }

    /// <summary>The batch's keys, each once.</summary>
    public IReadOnlyCollection<long> Keys { get; }

    public (long Min, long Max) Range { get; }

    /// <summary>The facts, or null when the key is not one Int64 column, a key is missing, or one repeats.</summary>
    public static DistinctKeys? Of(TableSchema schema, IReadOnlyList<object?[]> rows)
    {
        if (schema.PrimaryKey.Count != 1 || rows.Count == 0)
        {
            return null;
        }

        var index = schema.IndexOf(schema.PrimaryKey[0]);
        if (index < 0 || schema.Columns[index].Type != ColumnType.Int64)
        {
            return null;
        }

        var seen = new HashSet<long>(rows.Count);
        var min = long.MaxValue;
        var max = long.MinValue;
        foreach (var row in rows)
        {
            if (row[index] is not long key || !seen.Add(key))
            {
                return null;
            }

            min = Math.Min(min, key);
            max = Math.Max(max, key);
        }

        return new DistinctKeys(seen, min, max);
    }
}
