using System.Globalization;

namespace MyBi.Engine.Retention;

/// <summary>
/// The line retention draws: rows dated before <see cref="Day"/> (UTC) are deleted, and no sync, reconciliation or
/// report refresh may load them again, so every stage clips its period with <see cref="Clip"/>.
/// </summary>
public sealed record RetentionHorizon
{
    private RetentionHorizon(int days, DateOnly day)
    {
        Days = days;
        Day = day;
    }

    /// <summary>How many days are kept.</summary>
    public int Days { get; }

    /// <summary>The first day kept: today (UTC) minus <see cref="Days"/>.</summary>
    public DateOnly Day { get; }

    /// <summary>The start of <see cref="Day"/> in UTC: a timestamp before it is stale.</summary>
    public DateTimeOffset Cutoff => new(Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The horizon of a retention of <paramref name="days"/> days as of <paramref name="now"/>.</summary>
    public static RetentionHorizon At(int days, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        return new RetentionHorizon(days, DateOnly.FromDateTime(now.UtcDateTime).AddDays(-days));
    }

    /// <summary>The day, moved up to the horizon when it lies before it.</summary>
    public DateOnly Clip(DateOnly day) => day < Day ? Day : day;

    /// <summary>Whether a date or timestamp value lies before the horizon; null and other values do not.</summary>
    public bool Excludes(object? value) => value switch
    {
        DateTimeOffset instant => instant < Cutoff,
        DateOnly day => day < Day,
        DateTime { Kind: DateTimeKind.Utc } instant => instant < Cutoff.UtcDateTime,
        _ => false,
    };

    /// <summary>The cutoff as a value of a column of <paramref name="type"/>: a day for dates, an instant otherwise.</summary>
    public object CutoffFor(Abstractions.Records.ColumnType type) => type == Abstractions.Records.ColumnType.Date ? Day : Cutoff;

    /// <summary>yyyy-MM-dd.</summary>
    public override string ToString() => Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
