namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>Parses <c>Bearer &lt;partner&gt;[, User &lt;user&gt;]</c>, with or without a space after the comma.</summary>
internal readonly record struct AuthorizationHeader(string? PartnerToken, string? UserToken, bool Malformed)
{
    public static AuthorizationHeader Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new(null, null, Malformed: false);
        }

        string? partner = null;
        string? user = null;
        foreach (var rawPart in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = rawPart.Trim();
            if (part.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && partner is null)
            {
                partner = part["Bearer ".Length..].Trim();
            }
            else if (part.StartsWith("User ", StringComparison.OrdinalIgnoreCase) && user is null)
            {
                user = part["User ".Length..].Trim();
            }
            else
            {
                return new(partner, user, Malformed: true);
            }
        }

        return new(partner, user, Malformed: false);
    }
}
