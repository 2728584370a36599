namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>Endpoint metadata: the route template relative to the base URL, the key of request statistics.</summary>
internal sealed record EndpointTemplate(string Template);
