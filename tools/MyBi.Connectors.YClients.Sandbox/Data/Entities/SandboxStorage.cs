namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A storage (warehouse).</summary>
public sealed record SandboxStorage
{
    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required string Title { get; init; }
    public required bool ForService { get; init; }
    public required bool ForSale { get; init; }
    public required string Comment { get; init; }
}
