using MyBi.Abstractions.Errors;

namespace MyBi.Destinations.DuckDb;

/// <summary>
/// The DuckDB file is held by another process (DuckDB allows one writing process per file). Transient: the same
/// run succeeds once the other process lets go, so a caller may wait and try again.
/// </summary>
public sealed class DuckDbFileLockedException : MyBiException
{
    /// <summary>Creates the error for <paramref name="file"/>; <paramref name="holder"/> names the other process when DuckDB said.</summary>
    public DuckDbFileLockedException(string file, string? holder, string message, Exception? inner)
        : base(FailureKind.Transient, message, inner)
    {
        File = file;
        Holder = holder;
    }

    /// <summary>The locked database file.</summary>
    public string File { get; }

    /// <summary>The other process as DuckDB names it ("mybi, PID 1234"), or null.</summary>
    public string? Holder { get; }
}
