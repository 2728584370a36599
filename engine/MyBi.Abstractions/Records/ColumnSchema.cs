namespace MyBi.Abstractions.Records;

/// <summary>One column of a table.</summary>
public sealed record ColumnSchema
{
    /// <summary>Default precision of <see cref="ColumnType.Decimal"/> columns.</summary>
    public const int DefaultPrecision = 18;

    /// <summary>Default scale of <see cref="ColumnType.Decimal"/> columns.</summary>
    public const int DefaultScale = 4;

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
}
