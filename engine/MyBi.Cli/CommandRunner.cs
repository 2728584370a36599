using MyBi.Abstractions.Errors;
using MyBi.Cli.Output;
using MyBi.Hosting;

namespace MyBi.Cli;

/// <summary>Turns the outcome of a command into one clear line and an exit code; secrets are redacted.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(Func<Action<Redactor>, Task<int>> command, CancellationToken cancellationToken)
    {
        var redactor = Redactor.None;
        try
        {
            return await command(r => redactor = r).ConfigureAwait(false);
        }
        catch (InvalidPipelineException ex)
        {
            // Diagnostics are data up to here; this is where they become the file:line:column: path: message lines.
            foreach (var diagnostic in ex.Diagnostics)
            {
                await Console.Error.WriteLineAsync(redactor.Line(diagnostic.ToString())).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync($"{ex.Diagnostics.Count} problem{(ex.Diagnostics.Count == 1 ? "" : "s")} found; nothing was run.").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        catch (MyBiException ex)
        {
            var where = ex.Stream is null || ex.Message.Contains(ex.Stream, StringComparison.Ordinal) ? "" : $"[{ex.Stream}] ";
            await Console.Error.WriteLineAsync(redactor.Line($"error: {where}{ex.Message}")).ConfigureAwait(false);
            return ex.Kind == FailureKind.Config ? ExitCodes.InvalidInput : ExitCodes.RunFailed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled: rows committed so far are kept; the next run continues from the last checkpoint.").ConfigureAwait(false);
            return ExitCodes.RunFailed;
        }
#pragma warning disable CA1031 // The process boundary: anything unexpected becomes one line and exit code 1, never a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await Console.Error.WriteLineAsync(redactor.Line($"error: unexpected {ex.GetType().Name}: {ex.Message}")).ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("MYBI_DEBUG") == "1")
            {
                await Console.Error.WriteLineAsync(redactor.Apply(ex.ToString())).ConfigureAwait(false);
            }

            return ExitCodes.RunFailed;
        }
    }
}
