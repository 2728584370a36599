namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A finance transaction (payment or expense). <see cref="Amount"/> is signed: expenses are negative.</summary>
public sealed record SandboxFinanceTransaction
{
    /// <summary>Expense ("статья") of payments for services.</summary>
    public const long ServicesExpenseId = 5;

    /// <summary>Expense of payments for goods.</summary>
    public const long GoodsExpenseId = 7;

    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required long DocumentId { get; init; }
    /// <summary>Payment time in the company's zone; many payments of a busy day share the exact same value.</summary>
    public required DateTimeOffset Date { get; init; }
    public required decimal Amount { get; init; }
    public required string Comment { get; init; }
    public required long ExpenseId { get; init; }
    public required string ExpenseTitle { get; init; }
    public required long AccountId { get; init; }
    public required long? ClientId { get; init; }
    public required long? MasterId { get; init; }
    public required long? SupplierId { get; init; }
    public required string? SupplierTitle { get; init; }
    /// <summary>0 when not tied to a record.</summary>
    public required long RecordId { get; init; }
    public required long VisitId { get; init; }
    public required long SoldItemId { get; init; }
    /// <summary><c>service</c>, <c>goods_transaction</c> or empty.</summary>
    public required string SoldItemType { get; init; }
    public required DateTimeOffset LastChangeDate { get; init; }
    public required bool Deleted { get; init; }
}
