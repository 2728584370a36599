namespace MyBi.Abstractions.Records;

/// <summary>One column of a table.</summary>
public sealed record ColumnSchema
{
    /// <summary>Default precision of <see cref="ColumnType.Decimal"/> columns.</summary>
    public const int DefaultPrecision = 18;

    /// <summary>Default scale of <see cref="ColumnType.Decimal"/> columns.</summary>
    public const int DefaultScale = 4;

    // 10^0 .. 10^28: a decimal has at most 29 digits, so a column of more integer digits holds any of them.
    private static readonly decimal[] s_powersOfTen = [.. Enumerable.Range(0, 29).Select(n => Enumerable.Repeat(10m, n).Aggregate(1m, (a, b) => a * b))];

    private readonly bool _verbatim;

    /// <summary>Creates a column.</summary>
    public ColumnSchema(string name, ColumnType type, bool nullable = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Type = type;
        Nullable = nullable;
    }

    /// <summary>The column name, as it appears in the destination (destinations quote it).</summary>
    public string Name { get; }

    /// <summary>The logical type.</summary>
    public ColumnType Type { get; }

    /// <summary>Whether the column accepts nulls. Primary key columns never do.</summary>
    public bool Nullable { get; init; }

    /// <summary>Total digits of a decimal column.</summary>
    public int Precision { get; init; } = DefaultPrecision;

    /// <summary>Digits after the point of a decimal column.</summary>
    public int Scale { get; init; } = DefaultScale;

    /// <summary>What the column means, for documentation and comments.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// For a <see cref="ColumnType.Json"/> column: the text is kept exactly as written (PostgreSQL <c>json</c>, not
    /// <c>jsonb</c>), spacing, key order and repeated keys included, and the server stores it without building its
    /// binary form, which for webhook bodies took about 40 % less of its CPU. The column can still be read and queried
    /// with the JSON operators, but not compared as a whole, so it cannot be part of the primary key. Meant for
    /// documents kept as received and written once, such as webhook bodies. Destinations that store JSON as text
    /// anyway do not distinguish it.
    /// </summary>
    /// <exception cref="ArgumentException">The column is not of type <see cref="ColumnType.Json"/>.</exception>
    public bool Verbatim
    {
        get => _verbatim;
        init
        {
            if (value && Type != ColumnType.Json)
            {
                throw new ArgumentException($"Column '{Name}' is {Type}; only a Json column can be verbatim.", nameof(value));
            }

            _verbatim = value;
        }
    }

    /// <summary>
    /// Whether a decimal has no more integer digits than this decimal column holds (<see cref="Precision"/> minus
    /// <see cref="Scale"/>). Warehouses differ with one that has: PostgreSQL and DuckDB refuse it, ClickHouse would
    /// take it without a word.
    /// </summary>
    public bool Holds(decimal value)
    {
        var integerDigits = Precision - Scale;
        return integerDigits >= s_powersOfTen.Length || Math.Abs(value) < s_powersOfTen[Math.Max(0, integerDigits)];
    }
}
