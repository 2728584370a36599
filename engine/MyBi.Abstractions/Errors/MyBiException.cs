namespace MyBi.Abstractions.Errors;

/// <summary>
/// The one exception type that crosses the plugin boundary. <see cref="Exception.Message"/> is a single
/// user-facing line that never contains a secret; <see cref="Detail"/> may carry more for logs.
/// </summary>
public class MyBiException : Exception
{
    /// <summary>Creates an error of the given kind.</summary>
    public MyBiException(FailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What kind of failure this is.</summary>
    public FailureKind Kind { get; }

    /// <summary>The stream (or table) the error happened in, when known.</summary>
    public string? Stream { get; init; }

    /// <summary>Extra diagnostic detail for logs; must not contain secrets either.</summary>
    public string? Detail { get; init; }

    /// <summary>Creates a configuration error.</summary>
    public static MyBiException Config(string message, Exception? innerException = null) => new(FailureKind.Config, message, innerException);

    /// <summary>Creates a transient error.</summary>
    public static MyBiException Transient(string message, Exception? innerException = null) => new(FailureKind.Transient, message, innerException);

    /// <summary>Creates a system error.</summary>
    public static MyBiException System(string message, Exception? innerException = null) => new(FailureKind.System, message, innerException);
}
