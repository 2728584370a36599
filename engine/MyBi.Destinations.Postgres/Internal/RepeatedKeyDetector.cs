using MyBi.Abstractions.Records;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// Notices whether a batch repeats a primary key while its rows are copied, so a merge of distinct keys can skip the
/// DISTINCT ON sort. Only keys of bigint and text columns are tracked: their .NET equality is exactly PostgreSQL's.
/// Other key types (whose values PostgreSQL rounds or truncates) always take the sorting path.
/// </summary>
internal sealed class RepeatedKeyDetector
{
    private readonly int[] _ordinals;
    private readonly HashSet<object>? _single;
    private readonly HashSet<CompositeKey>? _composite;

    private RepeatedKeyDetector(int[] ordinals)
    {
        _ordinals = ordinals;
        if (ordinals.Length == 1)
        {
            _single = [];
        }
        else
        {
            _composite = [];
        }
    }

    /// <summary>Whether a key was seen twice (or could not be tracked).</summary>
    public bool FoundRepeat { get; private set; }

    /// <summary>A detector for the table's key, or null when the key cannot be tracked exactly.</summary>
    public static RepeatedKeyDetector? For(TableSchema table)
    {
        if (table.PrimaryKey.Count == 0)
        {
            return null;
        }

        var ordinals = new int[table.PrimaryKey.Count];
        for (var i = 0; i < ordinals.Length; i++)
        {
            ordinals[i] = table.IndexOf(table.PrimaryKey[i]);
            if (table.Columns[ordinals[i]].Type is not (ColumnType.Int64 or ColumnType.String))
            {
                return null;
            }
        }

        return new RepeatedKeyDetector(ordinals);
    }

    public void Add(object?[] row)
    {
        if (FoundRepeat)
        {
            return;
        }

        if (_single is not null)
        {
            // A null key fails the NOT NULL check of the copy; it never reaches the merge.
            FoundRepeat = row[_ordinals[0]] is not { } key || !_single.Add(key);
            return;
        }

        var values = new object?[_ordinals.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = row[_ordinals[i]];
        }

        FoundRepeat = !_composite!.Add(new CompositeKey(values));
    }

    private readonly struct CompositeKey : IEquatable<CompositeKey>
    {
        private readonly object?[] _values;

        public CompositeKey(object?[] values)
        {
            _values = values;
        }

        public bool Equals(CompositeKey other)
        {
            for (var i = 0; i < _values.Length; i++)
            {
                if (!Equals(_values[i], other._values[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is CompositeKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = default(HashCode);
            foreach (var value in _values)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }
    }
}
