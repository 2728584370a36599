namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A goods (storage) transaction: 1 sale, 2 consumable write-off, 3 receipt. <see cref="Amount"/> is signed.</summary>
public sealed record SandboxGoodsTransaction
{
    public const int SaleType = 1;
    public const int ConsumableType = 2;
    public const int ReceiptType = 3;

    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required long DocumentId { get; init; }
    public required int TypeId { get; init; }
    public required long GoodId { get; init; }
    public required long StorageId { get; init; }
    public required long UnitId { get; init; }
    /// <summary>1 sale unit, 2 write-off unit.</summary>
    public required int OperationUnitType { get; init; }
    public required decimal Amount { get; init; }
    public required decimal CostPerUnit { get; init; }
    public required decimal DiscountPercent { get; init; }
    /// <summary><c>round(|Amount| * CostPerUnit * (1 - DiscountPercent / 100), 2)</c>.</summary>
    public required decimal Cost { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public required DateTimeOffset LastChangeDate { get; init; }
    public required string Comment { get; init; }
    public required bool Deleted { get; init; }
    public required long? MasterId { get; init; }
    public required long? SupplierId { get; init; }
    public required string? SupplierTitle { get; init; }
    public required long? ClientId { get; init; }
    /// <summary>0 when not tied to a record.</summary>
    public required long RecordId { get; init; }
    /// <summary>The service a consumable was written off for, or 0.</summary>
    public required long ServiceId { get; init; }
    public required long UserId { get; init; }
}
