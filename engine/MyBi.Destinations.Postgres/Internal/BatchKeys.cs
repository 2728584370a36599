using MyBi.Abstractions.Records;
using NpgsqlTypes;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// What a merge needs to know about a batch's primary keys before writing it: whether every key is distinct (then
/// no DISTINCT ON sort is needed) and, for a single-column key, the keys themselves (to ask the table whether any of
/// them exists already). Only bigint and text keys are analysed, whose .NET equality is exactly PostgreSQL's; other
/// key types (values PostgreSQL rounds or truncates) count as possibly repeated.
/// </summary>
internal sealed class BatchKeys
{
    private static readonly BatchKeys s_unknown = new(distinct: false, values: null, NpgsqlDbType.Unknown);

    private BatchKeys(bool distinct, Array? values, NpgsqlDbType type)
    {
        Distinct = distinct;
        Values = values;
        Type = type;
    }

    /// <summary>Whether the batch is known to hold every key once.</summary>
    public bool Distinct { get; }

    /// <summary>The distinct keys of a single-column key (long[] or string[]), or null.</summary>
    public Array? Values { get; }

    /// <summary>The type of <see cref="Values"/>' elements.</summary>
    public NpgsqlDbType Type { get; }

    /// <summary>The smallest and largest key of a single bigint key, for a one-probe range check.</summary>
    public (long Min, long Max)? Range =>
        Values is long[] { Length: > 0 } ids ? (ids.Min(), ids.Max()) : null;

    public static BatchKeys Analyze(TableSchema table, IReadOnlyList<object?[]> rows)
    {
        if (table.PrimaryKey.Count == 0)
        {
            return s_unknown;
        }

        var ordinals = table.PrimaryKey.Select(table.IndexOf).ToArray();
        if (ordinals.Any(o => table.Columns[o].Type is not (ColumnType.Int64 or ColumnType.String)))
        {
            return s_unknown;
        }

        if (ordinals.Length > 1)
        {
            return new BatchKeys(AllDistinct(rows, ordinals), values: null, NpgsqlDbType.Unknown);
        }

        return table.Columns[ordinals[0]].Type == ColumnType.Int64
            ? Single<long>(rows, ordinals[0], NpgsqlDbType.Bigint)
            : Single<string>(rows, ordinals[0], NpgsqlDbType.Text, PostgresText.Storable);
    }

    /// <param name="stored">The key as the COPY stores it.</param>
    private static BatchKeys Single<T>(IReadOnlyList<object?[]> rows, int ordinal, NpgsqlDbType type, Func<T, T>? stored = null)
        where T : notnull
    {
        var values = new T[rows.Count];
        var seen = new HashSet<T>(rows.Count);
        for (var i = 0; i < values.Length; i++)
        {
            // A null or mistyped key is left for the COPY to refuse with its proper error.
            if (rows[i][ordinal] is not T raw)
            {
                return s_unknown;
            }

            var key = stored is null ? raw : stored(raw);
            if (!seen.Add(key))
            {
                return s_unknown;
            }

            values[i] = key;
        }

        return new BatchKeys(distinct: true, values, type);
    }

    private static bool AllDistinct(IReadOnlyList<object?[]> rows, int[] ordinals)
    {
        var seen = new HashSet<CompositeKey>(rows.Count);
        foreach (var row in rows)
        {
            var values = new object[ordinals.Length];
            for (var i = 0; i < values.Length; i++)
            {
                if (row[ordinals[i]] is not { } value)
                {
                    return false;
                }

                values[i] = value;
            }

            if (!seen.Add(new CompositeKey(values)))
            {
                return false;
            }
        }

        return true;
    }

    private readonly struct CompositeKey : IEquatable<CompositeKey>
    {
        private readonly object[] _values;

        public CompositeKey(object[] values)
        {
            _values = values;
        }

        public bool Equals(CompositeKey other)
        {
            for (var i = 0; i < _values.Length; i++)
            {
                if (!_values[i].Equals(other._values[i]))
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
