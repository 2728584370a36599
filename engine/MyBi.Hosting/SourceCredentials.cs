namespace MyBi.Hosting;

/// <summary>Whether a command needs the source's settings to be complete (its credentials above all).</summary>
public enum SourceCredentials
{
    /// <summary>The command talks to the source: every variable of <c>source.config</c> must be set.</summary>
    Required,

    /// <summary>
    /// The command only reads the destination or the connector's description (<c>query</c>, <c>status</c>,
    /// <c>discover</c>): unset variables of <c>source.config</c> are allowed, and the loaded pipeline refuses to
    /// build anything that would reach the source.
    /// </summary>
    NotNeeded,
}
