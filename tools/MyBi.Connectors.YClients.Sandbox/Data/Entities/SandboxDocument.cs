namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A storage-operation document grouping goods and finance transactions.
/// Types used: 3 "Приход товара", 7 "Визит", 8 "Списание расходников".</summary>
public sealed record SandboxDocument
{
    public const int ReceiptType = 3;
    public const int VisitType = 7;
    public const int ConsumablesType = 8;

    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required int TypeId { get; init; }
    public required long Number { get; init; }
    public required long StorageId { get; init; }
    public required long UserId { get; init; }
    public required string Comment { get; init; }
    /// <summary>Creation time in the company's zone (served naive).</summary>
    public required DateTimeOffset CreateDate { get; init; }
    /// <summary>0 when not tied to a record.</summary>
    public required long RecordId { get; init; }
    public required long VisitId { get; init; }

    /// <summary>Russian title of a document type.</summary>
    public static string TypeTitle(int typeId) => typeId switch
    {
        1 => "Продажа товара",
        2 => "Оказание услуг",
        3 => "Приход товара",
        4 => "Списание товара",
        5 => "Движение товара",
        6 => "Инвентаризация",
        7 => "Визит",
        8 => "Списание расходников",
        _ => "Документ",
    };
}
