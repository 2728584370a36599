namespace MyBi.Abstractions.Connectors;

/// <summary>
/// The host's side of a connect dialog (<c>mybi connect</c>): a connector asks questions through it, the host
/// answers from pre-supplied values (options, environment) or, on a terminal, from the user. The dialog asks only
/// about the source; the host asks about the destination and writes the pipeline file itself.
/// </summary>
public abstract class ConnectPrompt
{
    /// <summary>
    /// Asks for a value identified by <paramref name="key"/> (e.g. <c>login</c>, <c>password</c>); secret values are
    /// read without echo and never printed. Throws a Config error when no answer can be had.
    /// </summary>
    public abstract ValueTask<string> AskAsync(string key, string question, bool secret, CancellationToken cancellationToken = default);

    /// <summary>Asks the user to pick one of <paramref name="options"/>; returns its index.</summary>
    public abstract ValueTask<int> ChooseAsync(string key, string question, IReadOnlyList<string> options, CancellationToken cancellationToken = default);

    /// <summary>Tells the user something (progress, what was found).</summary>
    public abstract void Say(string message);
}
