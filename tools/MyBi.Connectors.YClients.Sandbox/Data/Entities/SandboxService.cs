namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A service of the price list ("услуга").</summary>
public sealed record SandboxService
{
    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required long CategoryId { get; init; }
    public required string Title { get; init; }
    public required string BookingTitle { get; init; }
    public required string PrintTitle { get; init; }
    public required decimal PriceMin { get; init; }
    public required decimal PriceMax { get; init; }
    public required int DurationSeconds { get; init; }
    public required int Weight { get; init; }
    public required string ApiId { get; init; }
    public required IReadOnlyList<long> StaffIds { get; init; }
    /// <summary>Technological card that writes off consumables, or 0.</summary>
    public required long TechnologicalCardId { get; init; }
}
