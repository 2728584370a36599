namespace MyBi.Abstractions.Records;

/// <summary>
/// The logical type of a column. Each has exactly one CLR type for its values in a <see cref="RecordBatch"/>.
/// </summary>
public enum ColumnType
{
    /// <summary>Text; values are <see cref="string"/>.</summary>
    String,

    /// <summary>64-bit integer (all ids are 64-bit); values are <see cref="long"/>.</summary>
    Int64,

    /// <summary>Exact decimal (money); values are <see cref="decimal"/>.</summary>
    Decimal,

    /// <summary>Floating point; values are <see cref="double"/>.</summary>
    Double,

    /// <summary>Boolean; values are <see cref="bool"/>.</summary>
    Boolean,

    /// <summary>An instant with its offset; values are <see cref="DateTimeOffset"/>.</summary>
    Timestamp,

    /// <summary>A calendar date; values are <see cref="DateOnly"/>.</summary>
    Date,

    /// <summary>Nested data kept as JSON text; values are <see cref="string"/>.</summary>
    Json,

    /// <summary>
    /// A wall-clock date and time without a zone (a local clock reading, such as a visit's start on the company's
    /// clock); values are <see cref="DateTime"/> of kind <see cref="DateTimeKind.Unspecified"/>, the reading itself
    /// (a <see cref="DateTimeOffset"/> given for it is read as the clock reading in its own offset). Destinations store it
    /// in a zone-less type, so that the hour and the day read the same whatever the reader's session zone.
    /// </summary>
    LocalDateTime,
}
