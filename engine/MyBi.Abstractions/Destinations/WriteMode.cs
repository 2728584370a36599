namespace MyBi.Abstractions.Destinations;

/// <summary>How a batch lands in its table.</summary>
public enum WriteMode
{
    /// <summary>Insert new keys, replace the rows of existing keys (upsert by primary key).</summary>
    Merge,

    /// <summary>Insert every row as it is.</summary>
    Append,
}
