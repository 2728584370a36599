namespace MyBi.Connectors.YClients.Sandbox.Webhooks;

/// <summary>What one round of <see cref="SandboxServer.ChangeRecords"/> did.</summary>
public sealed record SandboxChangeSummary(int Created, int Updated, int Deleted)
{
    public int Total => Created + Updated + Deleted;
}
