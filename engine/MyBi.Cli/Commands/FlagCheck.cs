using MyBi.Abstractions.Errors;

namespace MyBi.Cli.Commands;

/// <summary>Runs an options type's own check on values that came from the command line.</summary>
internal static class FlagCheck
{
    /// <summary>
    /// The options' <see cref="ArgumentException"/> names a wrong flag: the user's input, not a failure of the tool,
    /// so it becomes a Config error (exit 2, one line) instead of an unexpected one.
    /// </summary>
    public static void Run(Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException ex)
        {
            throw MyBiException.Config(ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal));
        }
    }
}
