namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A service line of a record. <c>FirstCost = CostPerUnit * Amount</c>;
/// <c>Cost = round(FirstCost * (1 - DiscountPercent / 100), 2, away from zero)</c>.</summary>
public sealed record SandboxRecordService
{
    public required long ServiceId { get; init; }
    public required string Title { get; init; }
    public required decimal Amount { get; init; }
    public required decimal CostPerUnit { get; init; }
    public required decimal FirstCost { get; init; }
    public required decimal DiscountPercent { get; init; }
    public required decimal Cost { get; init; }
    public required decimal ManualCost { get; init; }
    public required decimal CostToPay { get; init; }
}
