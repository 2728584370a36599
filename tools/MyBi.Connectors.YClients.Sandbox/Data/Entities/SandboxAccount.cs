namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A till ("касса"): type 0 cash, 1 non-cash.</summary>
public sealed record SandboxAccount
{
    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required string Title { get; init; }
    public required int Type { get; init; }
    public required string Comment { get; init; }
}
