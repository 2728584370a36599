namespace MyBi.Connectors.YClients.Sandbox.Data;

/// <summary>The raw lists of one company, as generated or as changed by a mutator.</summary>
internal sealed record CompanyDataParts
{
    public required SandboxCompany Company { get; init; }
    public required IReadOnlyList<SandboxStaff> Staff { get; init; }
    public required IReadOnlyList<SandboxClient> Clients { get; init; }
    public required IReadOnlyList<SandboxServiceCategory> ServiceCategories { get; init; }
    public required IReadOnlyList<SandboxService> Services { get; init; }
    public required IReadOnlyList<SandboxTechnologicalCard> TechnologicalCards { get; init; }
    public required IReadOnlyList<SandboxRecord> Records { get; init; }
    public required IReadOnlyList<SandboxVisit> Visits { get; init; }
    public required IReadOnlyList<SandboxFinanceTransaction> FinanceTransactions { get; init; }
    public required IReadOnlyList<SandboxGoodsTransaction> GoodsTransactions { get; init; }
    public required IReadOnlyList<SandboxStorage> Storages { get; init; }
    public required IReadOnlyList<SandboxGood> Goods { get; init; }
    public required IReadOnlyList<SandboxDocument> Documents { get; init; }
    public required IReadOnlyList<SandboxLabel> Labels { get; init; }
    public required IReadOnlyList<SandboxAccount> Accounts { get; init; }
}
