namespace MyBi.Abstractions.Streams;

/// <summary>
/// An analysis view a connector declares over its stream tables. <see cref="Sql"/> is one SELECT in the subset
/// PostgreSQL, DuckDB and ClickHouse share; every table or earlier view it reads is written as a placeholder,
/// <c>{records}</c>, which the engine checks against the pipeline's own streams and each destination replaces with
/// its own reference (ClickHouse reads the current version of every row). The engine creates the view only when
/// every stream it reads is loaded by the pipeline, and refuses SQL that could reach anything else.
/// </summary>
public sealed class ViewDescriptor
{
    /// <summary>The view name (lower case letters, digits and '_').</summary>
    public required string Name { get; init; }

    /// <summary>The SELECT, with tables and earlier views as <c>{name}</c>.</summary>
    public required string Sql { get; init; }

    /// <summary>Exactly what the view counts, for documentation and the view's comment.</summary>
    public string? Description { get; init; }
}
