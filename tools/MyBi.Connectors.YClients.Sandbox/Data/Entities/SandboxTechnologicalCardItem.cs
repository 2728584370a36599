namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>One consumable of a technological card, in write-off units.</summary>
public sealed record SandboxTechnologicalCardItem
{
    public required long Id { get; init; }
    public required long GoodId { get; init; }
    public required long StorageId { get; init; }
    public required decimal Amount { get; init; }
    /// <summary>Cost price of <see cref="Amount"/>.</summary>
    public required decimal Price { get; init; }
}
