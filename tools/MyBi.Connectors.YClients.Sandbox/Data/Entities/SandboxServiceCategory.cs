namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A service category ("категория услуг").</summary>
public sealed record SandboxServiceCategory
{
    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required string Title { get; init; }
    public required string ApiId { get; init; }
    public required int Weight { get; init; }
    public required decimal PriceMin { get; init; }
    public required decimal PriceMax { get; init; }
    public required IReadOnlyList<long> StaffIds { get; init; }
}
