using System.Text.Json.Nodes;

namespace MyBi.Abstractions.Connectors;

/// <summary>
/// What a finished connect dialog produced: the connector's settings (<c>source.config</c>), which of them are
/// secret, and the streams it suggests. The host writes the pipeline file from them, with the destination the user
/// picks among those the host knows; secrets are stored beside the file and referenced from it, never written in it.
/// </summary>
public sealed class ConnectResult
{
    /// <summary>Settings written into <c>source.config</c> as they are; never a secret.</summary>
    public required JsonObject Config { get; init; }

    /// <summary>
    /// Secret settings of <c>source.config</c> (tokens) by their config key, e.g. <c>user_token</c>. The host keeps
    /// them out of the pipeline file and references them as <c>${NAME}</c>. Never a password used only to log in.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Secrets { get; init; }

    /// <summary>The streams the connector suggests loading, in order; empty means every stream it offers.</summary>
    public IReadOnlyList<string> Streams { get; init; } = [];

    /// <summary>A pipeline name suggestion (lowercase letters, digits, '_' and '-'); the file is named after it.</summary>
    public required string SuggestedName { get; init; }
}
