namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>Endpoint metadata: tokens and rights a route needs.</summary>
internal sealed record AccessRequirement(AccessLevel Level, Permission Permission);
