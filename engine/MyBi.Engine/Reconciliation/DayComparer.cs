using System.Globalization;
using MyBi.Abstractions.Destinations;

namespace MyBi.Engine.Reconciliation;

/// <summary>
/// Compares one table of the warehouse with the source digest, company by company: the warehouse is streamed,
/// filtered by company and period, and each row is looked up in the digest. A row the warehouse marks deleted and the
/// source does not return agrees with it (the source may omit what it deleted).
/// </summary>
internal sealed class DayComparer
{
    private readonly Destination _destination;
    private readonly int _maxNamed;

    public DayComparer(Destination destination, int maxNamed)
    {
        _destination = destination;
        _maxNamed = maxNamed;
    }

    /// <summary>The result of one table: the days compared, those that differ, and the rows only the warehouse has.</summary>
    public sealed record Outcome(long DaysCompared, List<DayDifference> Differences, Dictionary<(long Company, DateOnly Day), HashSet<string>> Extras);

    /// <summary>
    /// Compares the period; with <paramref name="only"/>, only those days (the second check after a reload). The
    /// digest's rows are consumed.
    /// </summary>
    public async Task<Outcome> CompareAsync(TableDigest digest, DateOnly from, DateOnly to, IReadOnlyCollection<(long Company, DateOnly Day)>? only, CancellationToken cancellationToken)
    {
        var tallies = new SortedDictionary<(long Company, DateOnly Day), Tally>();
        var extras = new Dictionary<(long Company, DateOnly Day), HashSet<string>>();
        foreach (var conditions in Reads(digest, from, to, only))
        {
            await foreach (var row in _destination.ReadRowsAsync(digest.Table, conditions, cancellationToken).ConfigureAwait(false))
            {
                if (digest.Where(row) is not { } at || (only is not null && !only.Contains(at)))
                {
                    continue;
                }

                var tally = TallyOf(tallies, at);
                tally.WarehouseRows++;
                var key = digest.Key(row);
                if (digest.Days.TryGetValue(at, out var sourceRows) && sourceRows.Remove(key, out var source))
                {
                    tally.SourceRows++;
                    Changed(digest, key, digest.Measures(row), source, tally);
                }
                else if (!digest.IsDeleted(row))
                {
                    tally.Extra++;
                    tally.Name(new RowDifference(key, "extra", null, null, null, []), _maxNamed);
                    if (!extras.TryGetValue(at, out var keys))
                    {
                        keys = new HashSet<string>(StringComparer.Ordinal);
                        extras[at] = keys;
                    }

                    keys.Add(key);
                }
            }
        }

        foreach (var (at, rows) in digest.Days)
        {
            if (only is not null && !only.Contains(at))
            {
                continue;
            }

            var tally = TallyOf(tallies, at);
            foreach (var key in rows.Keys.Order(StringComparer.Ordinal))
            {
                tally.SourceRows++;
                tally.Missing++;
                tally.Name(new RowDifference(key, "missing", null, null, null, []), _maxNamed);
            }

            rows.Clear();
        }

        var differences = tallies
            .Where(t => t.Value.Missing + t.Value.Extra + t.Value.Changed > 0)
            .Select(t => new DayDifference(digest.Table.Name, t.Key.Company, t.Key.Day, t.Value.WarehouseRows, t.Value.SourceRows, t.Value.Missing, t.Value.Extra, t.Value.Changed, t.Value.Named))
            .ToList();
        return new Outcome(tallies.Count, differences, extras);
    }

    /// <summary>
    /// The filtered reads that cover the period: one per company the source has rows for, then one for every other
    /// company (rows the source no longer returns at all); or one per day to check again.
    /// </summary>
    private static IEnumerable<IReadOnlyList<RowCondition>> Reads(TableDigest digest, DateOnly from, DateOnly to, IReadOnlyCollection<(long Company, DateOnly Day)>? only)
    {
        if (only is not null)
        {
            foreach (var (company, day) in only.Order())
            {
                yield return [new(ReconcileJob.CompanyColumn, ConditionOperator.Equal, company), new(ReconcileJob.DayColumn, ConditionOperator.Equal, day)];
            }

            yield break;
        }

        RowCondition[] period = [new(ReconcileJob.DayColumn, ConditionOperator.GreaterOrEqual, from), new(ReconcileJob.DayColumn, ConditionOperator.LessOrEqual, to)];
        var companies = digest.Companies.Order().ToList();
        foreach (var company in companies)
        {
            yield return [new(ReconcileJob.CompanyColumn, ConditionOperator.Equal, company), .. period];
        }

        yield return [.. companies.Select(c => new RowCondition(ReconcileJob.CompanyColumn, ConditionOperator.NotEqual, c)), .. period];
    }

    private static Tally TallyOf(SortedDictionary<(long Company, DateOnly Day), Tally> tallies, (long Company, DateOnly Day) at)
    {
        if (!tallies.TryGetValue(at, out var tally))
        {
            tally = new Tally();
            tallies[at] = tally;
        }

        return tally;
    }

    private void Changed(TableDigest digest, string key, object?[] warehouse, object?[] source, Tally tally)
    {
        List<string>? fields = null;
        for (var i = 0; i < warehouse.Length; i++)
        {
            if (!Same(digest.MeasureNames[i], warehouse[i], source[i]))
            {
                (fields ??= []).Add(digest.MeasureNames[i]);
            }
        }

        if (fields is null)
        {
            return;
        }

        tally.Changed++;
        var first = digest.MeasureNames.ToList().IndexOf(fields[0]);
        tally.Name(new RowDifference(key, "changed", fields[0], warehouse[first], source[first], fields), _maxNamed);
    }

    /// <summary>Equal values of a measure: numbers by value (100 and 100.00 agree), a missing deleted flag as false.</summary>
    internal static bool Same(string field, object? warehouse, object? source)
    {
        if (field == "deleted")
        {
            return (warehouse is true) == (source is true);
        }

        if (warehouse is null || source is null)
        {
            return warehouse is null && source is null;
        }

        if (Number(warehouse) is { } left && Number(source) is { } right)
        {
            return left == right;
        }

        return Equals(warehouse, source);
    }

    private static decimal? Number(object value) => value switch
    {
        decimal d => d,
        long l => l,
        int i => i,
        double d when double.IsFinite(d) && Math.Abs(d) < 7.9e27 => (decimal)d,
        _ => null,
    };

    private sealed class Tally
    {
        public long WarehouseRows { get; set; }

        public long SourceRows { get; set; }

        public long Missing { get; set; }

        public long Extra { get; set; }

        public long Changed { get; set; }

        public List<RowDifference> Named { get; } = [];

        /// <summary>Keeps the first <paramref name="max"/> rows by key, so the named rows do not depend on the order a destination reads in.</summary>
        public void Name(RowDifference row, int max)
        {
            if (Named.Count >= max && string.CompareOrdinal(row.Key, Named[^1].Key) >= 0)
            {
                return;
            }

            var at = Named.FindIndex(n => string.CompareOrdinal(row.Key, n.Key) < 0);
            Named.Insert(at < 0 ? Named.Count : at, row);
            if (Named.Count > max)
            {
                Named.RemoveAt(Named.Count - 1);
            }
        }
    }
}

/// <summary>Values of the findings as JSON and text.</summary>
internal static class FindingValues
{
    public static System.Text.Json.Nodes.JsonNode? Json(object? value) => value switch
    {
        null => null,
        decimal d => System.Text.Json.Nodes.JsonValue.Create(d),
        long l => System.Text.Json.Nodes.JsonValue.Create(l),
        bool b => System.Text.Json.Nodes.JsonValue.Create(b),
        double d when double.IsFinite(d) => System.Text.Json.Nodes.JsonValue.Create(d),
        _ => System.Text.Json.Nodes.JsonValue.Create(Text(value)),
    };

    public static string Text(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset instant => instant.ToString("O", CultureInfo.InvariantCulture),
        DateTime wall => wall.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
