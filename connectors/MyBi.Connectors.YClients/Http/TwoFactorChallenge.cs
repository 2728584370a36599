namespace MyBi.Connectors.YClients.Http;

/// <summary>A two-factor challenge of <c>POST /auth</c> (HTTP 200 with <c>data.uuid</c>); the code went to <see cref="Recipient"/>.</summary>
internal sealed record TwoFactorChallenge(string Uuid, string? Recipient);
