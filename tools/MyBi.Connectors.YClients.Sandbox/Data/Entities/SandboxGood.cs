namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A good: retail product or consumable.</summary>
public sealed record SandboxGood
{
    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required string Title { get; init; }
    public required string Article { get; init; }
    /// <summary>Sale price per sale unit.</summary>
    public required decimal Cost { get; init; }
    /// <summary>Cost price per sale unit.</summary>
    public required decimal ActualCost { get; init; }
    /// <summary>Cost price per write-off unit (e.g. per ml).</summary>
    public required decimal UnitActualCost { get; init; }
    public required long UnitId { get; init; }
    public required string UnitShortTitle { get; init; }
    public required long ServiceUnitId { get; init; }
    public required string ServiceUnitShortTitle { get; init; }
    public required decimal UnitEquals { get; init; }
    public required string Barcode { get; init; }
    public required long StorageId { get; init; }
    public required decimal StockAmount { get; init; }
    public required bool IsConsumable { get; init; }
    public required DateTimeOffset LastChangeDate { get; init; }
}
