namespace MyBi.Connectors.YClients.Http;

/// <summary>Builds the YCLIENTS <c>Authorization</c> value: <c>Bearer &lt;partner&gt;, User &lt;user&gt;</c>.</summary>
internal static class AuthorizationHeader
{
    public const string AcceptV2 = "application/vnd.yclients.v2+json";

    public static string Format(string partnerToken, string? userToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(partnerToken);
        return string.IsNullOrWhiteSpace(userToken) ? $"Bearer {partnerToken}" : $"Bearer {partnerToken}, User {userToken}";
    }
}
