using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using MyBi.Abstractions.Errors;

namespace MyBi.Destinations.DuckDb.Internal;

/// <summary>
/// Turns DuckDB failures into one-line user messages. DuckDB.NET reports most errors with the error type
/// <c>Invalid</c>, so the class of error is read from the message prefix DuckDB itself writes ("IO Error: ...").
/// </summary>
internal static partial class DuckDbErrors
{
    public static MyBiException Opening(string file, DuckDBException error)
    {
        var message = FirstLine(error.Message);
        if (message.Contains("Could not set lock", StringComparison.Ordinal))
        {
            var holder = LockHolder().Match(message);
            var who = holder.Success ? $"{holder.Groups["program"].Value.Trim()}, PID {holder.Groups["pid"].Value}" : null;
            return new DuckDbFileLockedException(
                file,
                who,
                $"The DuckDB file '{file}' is locked by another process{(who is null ? "" : $" ({who})")}; DuckDB allows one process per file while it writes: wait for the other run to finish or close the other program (a SQL client, a BI tool), then try again. To read while loading, load into PostgreSQL.",
                error)
            {
                Detail = error.Message,
            };
        }

        return new MyBiException(
            FailureKind.Config,
            $"Cannot open the DuckDB file '{file}': {Strip(message)}; check the destination path and the file's permissions.",
            error)
        {
            Detail = error.Message,
        };
    }

    public static MyBiException Failed(string what, string file, string? table, DuckDBException error) =>
        new(FailureKind.System, $"DuckDB failed {what} in '{file}': {Strip(FirstLine(error.Message))}", error)
        {
            Stream = table,
            Detail = error.Message,
        };

    public static MyBiException Query(string file, DuckDBException error) =>
        new(FailureKind.Config, $"The query failed on the DuckDB file '{file}': {Strip(FirstLine(error.Message))}", error)
        {
            Detail = error.Message,
        };

    public static string FirstLine(string message)
    {
        var line = message.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        return (end < 0 ? line : line[..end]).Trim().ToString();
    }

    /// <summary>Drops DuckDB.NET's wrapper prefix so the message reads as DuckDB's own.</summary>
    private static string Strip(string message) =>
        message.StartsWith("DuckDBOpen failed: ", StringComparison.Ordinal) ? message["DuckDBOpen failed: ".Length..] : message;

    [GeneratedRegex(@"Conflicting lock is held in (?<program>.*?) \(PID (?<pid>\d+)\)")]
    private static partial Regex LockHolder();
}
