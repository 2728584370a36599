namespace MyBi.Abstractions.Errors;

/// <summary>What kind of failure an error is; it decides retries and the process exit code.</summary>
public enum FailureKind
{
    /// <summary>The user's input or configuration is wrong (bad pipeline file, wrong password, missing right). Retrying does not help.</summary>
    Config,

    /// <summary>A passing fault (network, 429, 5xx, dropped connection). Retrying may help.</summary>
    Transient,

    /// <summary>Anything else: a bug, an unexpected answer, a broken invariant.</summary>
    System,
}
