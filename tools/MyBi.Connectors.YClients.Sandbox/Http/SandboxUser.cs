namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>A user account of the sandbox.</summary>
internal sealed record SandboxUser(
    long Id, string Name, string Phone, string Login, string Email, string Token, Permission Permissions, bool TwoFactor)
{
    public static readonly IReadOnlyList<SandboxUser> All =
    [
        new(SandboxCredentials.UserId, "Анна Смирнова", "79161234567", SandboxCredentials.Login, "anna@salon-example.ru",
            SandboxCredentials.UserToken, Permission.All, TwoFactor: false),
        new(SandboxCredentials.LimitedUserId, "Мария Орлова", "79161234568", SandboxCredentials.LimitedLogin, SandboxCredentials.LimitedLogin,
            SandboxCredentials.LimitedUserToken, Permission.Catalog | Permission.Clients | Permission.Storage, TwoFactor: false),
        new(SandboxCredentials.TwoFactorUserId, "Елена Волкова", "79161234569", SandboxCredentials.TwoFactorLogin, SandboxCredentials.TwoFactorLogin,
            SandboxCredentials.TwoFactorUserToken, Permission.All, TwoFactor: true),
    ];

    public static SandboxUser? ByToken(string token) => All.FirstOrDefault(u => string.Equals(u.Token, token, StringComparison.Ordinal));

    /// <summary>Phones are accepted with or without the leading "+", e-mails in any case.</summary>
    public static SandboxUser? ByLogin(string login)
    {
        var normalized = login.Trim().TrimStart('+');
        return All.FirstOrDefault(u => string.Equals(u.Login, normalized, StringComparison.OrdinalIgnoreCase)
            || string.Equals(u.Phone, normalized, StringComparison.Ordinal));
    }

    /// <summary>Sandbox users manage every company except the restricted one, within their permissions.</summary>
    public bool Can(SandboxCompany company, Permission permission) =>
        company.MainUserHasAccess && (Permissions & permission) == permission;
}
