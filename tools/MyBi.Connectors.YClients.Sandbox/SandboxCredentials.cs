namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>Well-known credentials the sandbox accepts.</summary>
public static class SandboxCredentials
{
    /// <summary>Partner token; every request needs it as <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public const string PartnerToken = "sandbox-partner-token";

    /// <summary>Login (phone) of the main user, who manages every sandbox company but the restricted one.</summary>
    public const string Login = "79161234567";

    /// <summary>Password shared by all sandbox users.</summary>
    public const string Password = "sandbox-password";

    /// <summary>User token of the main user, as returned by <c>POST /auth</c>.</summary>
    public const string UserToken = "5f0c3a9e7b2d4e1f8a6c9b0d2e4f6a81";

    public const long UserId = 4875640;

    /// <summary>Login of a user without rights to records and finance (403 there).</summary>
    public const string LimitedLogin = "limited@example.com";

    public const string LimitedUserToken = "9a7e5c3b1d0f2e4a6c8b0d1f3e5a7c92";

    public const long LimitedUserId = 4875641;

    /// <summary>Login of a user with two-factor authentication: <c>/auth</c> answers 200 with a challenge first.</summary>
    public const string TwoFactorLogin = "2fa@example.com";

    /// <summary>The code that completes the two-factor challenge.</summary>
    public const string TwoFactorCode = "123456";

    public const string TwoFactorUserToken = "c4e2a0b8d6f4e2c0a8b6d4f2e0c8a6b3";

    public const long TwoFactorUserId = 4875642;

    /// <summary>The <c>Authorization</c> header value for a partner-only call.</summary>
    public static string PartnerHeader() => $"Bearer {PartnerToken}";

    /// <summary>The <c>Authorization</c> header value for a call as a user.</summary>
    public static string UserHeader(string userToken = UserToken) => $"Bearer {PartnerToken}, User {userToken}";
}
