using System.CommandLine;
using System.Globalization;

namespace MyBi.Cli.Commands;

/// <summary>Arguments and options several commands share.</summary>
internal static class CommonOptions
{
    public static Argument<string> Pipeline() => new("pipeline") { Description = "Path of the pipeline definition file (YAML)." };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of a table." };

    public static Option<DateOnly?> Date(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            result.AddError($"{name} takes a date as YYYY-MM-DD, not '{text}'.");
            return null;
        },
    };
}
