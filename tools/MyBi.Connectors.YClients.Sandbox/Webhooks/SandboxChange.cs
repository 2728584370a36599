using MyBi.Connectors.YClients.Sandbox.Data;

namespace MyBi.Connectors.YClients.Sandbox.Webhooks;

/// <summary>One change of the data that YCLIENTS would announce with a webhook, with the snapshot it was made in.</summary>
internal sealed record SandboxChange(CompanyDataSet Set, string Resource, long ResourceId, string Status);
