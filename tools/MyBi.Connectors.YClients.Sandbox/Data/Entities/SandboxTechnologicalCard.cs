namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A technological card: consumables written off when its service is rendered.</summary>
public sealed record SandboxTechnologicalCard
{
    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required long ServiceId { get; init; }
    public required string Title { get; init; }
    public required IReadOnlyList<SandboxTechnologicalCardItem> Items { get; init; }
}
