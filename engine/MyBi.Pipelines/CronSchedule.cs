using System.Globalization;
using Quartz;

namespace MyBi.Pipelines;

/// <summary>
/// A cron expression as users write it (five fields: minute, hour, day of month, month, day of week, with 0 or 7
/// for Sunday) and the same schedule in the scheduler's own form (seconds first, <c>?</c> for the day field left
/// open, 1 for Sunday). Checked with the scheduler's parser, so a file that passes is one the scheduler accepts, and its own
/// reading of the crontab form is the one conversion to its six fields.
/// </summary>
public sealed class CronSchedule
{
    private CronSchedule(string text, string quartzExpression)
    {
        Text = text;
        QuartzExpression = quartzExpression;
    }

    /// <summary>The expression as written in the file.</summary>
    public string Text { get; }

    /// <summary>The expression in Quartz's form: <c>0 MIN HOUR DOM MONTH DOW</c>.</summary>
    public string QuartzExpression { get; }

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>Reads a five-field expression; <paramref name="problem"/> says what is wrong in a few words.</summary>
    public static bool TryParse(string text, out CronSchedule? schedule, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        schedule = null;
        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has {fields.Length}");
            return false;
        }

        if (fields.Any(f => f.Contains('?', StringComparison.Ordinal)))
        {
            problem = "'?' is not used in a five-field cron expression; write '*' for any day";
            return false;
        }

        CronExpression parsed;
        try
        {
            parsed = CronExpression.Parse(text, CronFormat.Unix);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            problem = "not a valid cron expression: " + ex.Message.TrimEnd('.');
            return false;
        }

        // An expression can be well formed and still name no real time (30 February); it would never run.
        if (parsed.GetNextValidTimeAfter(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)) is null)
        {
            problem = "the expression never fires (no date matches it)";
            return false;
        }

        schedule = new CronSchedule(text.Trim(), parsed.CronExpressionString);
        problem = null;
        return true;
    }
}
