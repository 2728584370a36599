namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>Which tokens a route needs.</summary>
internal enum AccessLevel
{
    /// <summary>No token checked (the 404 fallback).</summary>
    None,

    /// <summary>The partner token; a user token, when sent, must be valid and is checked for rights.</summary>
    Partner,

    /// <summary>Both the partner and a user token.</summary>
    User,
}
