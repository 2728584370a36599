namespace MyBi.TestServers.ClickHouse.Http;

/// <summary>How this server names itself in responses, and the credentials it accepts (none: any user is let in).</summary>
internal sealed record ServerIdentity(string DisplayName, string Timezone, string Version, string? Password);
