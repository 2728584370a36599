namespace MyBi.Connectors.YClients.Http;

/// <summary>The answer to a two-factor challenge, sent as <c>"2fa": {"uuid", "secret"}</c> with the login again.</summary>
internal sealed record TwoFactorAnswer(string Uuid, string Code)
{
    /// <summary>The code is a secret: it never appears in text.</summary>
    public override string ToString() => $"TwoFactorAnswer {{ Uuid = {Uuid} }}";
}
