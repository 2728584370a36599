namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A goods sale inside a record (<c>goods_transactions[]</c>); the same sale is a goods transaction of type 1.</summary>
public sealed record SandboxRecordGood
{
    public required long GoodsTransactionId { get; init; }
    public required long GoodId { get; init; }
    public required long StorageId { get; init; }
    /// <summary>Negative: goods leave the storage.</summary>
    public required decimal Amount { get; init; }
    public required long MasterId { get; init; }
    public required decimal DiscountPercent { get; init; }
    /// <summary>Unit price.</summary>
    public required decimal Price { get; init; }
    /// <summary><c>round(|Amount| * Price * (1 - DiscountPercent / 100), 2)</c>.</summary>
    public required decimal Cost { get; init; }
}
