namespace MyBi.Connectors.YClients.Http;

/// <summary>What <c>POST /auth</c> answered: a user token, or a two-factor challenge to answer with a code.</summary>
internal sealed record LoginOutcome(string? UserToken, TwoFactorChallenge? Challenge);
