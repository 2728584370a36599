namespace MyBi.Connectors.YClients.Sandbox.Data;

/// <summary>An immutable snapshot of one company's data with lookups; mutations build a new snapshot.</summary>
internal sealed class CompanyDataSet
{
    public CompanyDataSet(CompanyDataParts parts)
    {
        Parts = parts;
        Company = parts.Company;
        Records = [.. parts.Records.OrderBy(r => r.Datetime).ThenBy(r => r.Id)];
        RecordsById = Records.ToDictionary(r => r.Id);
        StaffById = parts.Staff.ToDictionary(s => s.Id);
        ClientsById = parts.Clients.ToDictionary(c => c.Id);
        ServicesById = parts.Services.ToDictionary(s => s.Id);
        GoodsById = parts.Goods.ToDictionary(g => g.Id);
        StoragesById = parts.Storages.ToDictionary(s => s.Id);
        AccountsById = parts.Accounts.ToDictionary(a => a.Id);
        DocumentsById = parts.Documents.ToDictionary(d => d.Id);
        VisitsById = parts.Visits.ToDictionary(v => v.Id);
        LabelsById = parts.Labels.ToDictionary(l => l.Id);
        TechnologicalCardsById = parts.TechnologicalCards.ToDictionary(t => t.Id);
        FinanceTransactions = [.. parts.FinanceTransactions.OrderBy(t => t.Date).ThenBy(t => t.Id)];
        GoodsTransactions = [.. parts.GoodsTransactions.OrderBy(t => t.CreateDate).ThenBy(t => t.Id)];
        FinanceByRecord = ToLookupById(FinanceTransactions, t => t.RecordId);
        FinanceByDocument = ToLookupById(FinanceTransactions, t => t.DocumentId);
        GoodsByRecord = ToLookupById(GoodsTransactions, t => t.RecordId);
        GoodsByDocument = ToLookupById(GoodsTransactions, t => t.DocumentId);
    }

    public CompanyDataParts Parts { get; }
    public SandboxCompany Company { get; }
    public IReadOnlyList<SandboxRecord> Records { get; }
    public IReadOnlyList<SandboxFinanceTransaction> FinanceTransactions { get; }
    public IReadOnlyList<SandboxGoodsTransaction> GoodsTransactions { get; }
    public IReadOnlyDictionary<long, SandboxRecord> RecordsById { get; }
    public IReadOnlyDictionary<long, SandboxStaff> StaffById { get; }
    public IReadOnlyDictionary<long, SandboxClient> ClientsById { get; }
    public IReadOnlyDictionary<long, SandboxService> ServicesById { get; }
    public IReadOnlyDictionary<long, SandboxGood> GoodsById { get; }
    public IReadOnlyDictionary<long, SandboxStorage> StoragesById { get; }
    public IReadOnlyDictionary<long, SandboxAccount> AccountsById { get; }
    public IReadOnlyDictionary<long, SandboxDocument> DocumentsById { get; }
    public IReadOnlyDictionary<long, SandboxVisit> VisitsById { get; }
    public IReadOnlyDictionary<long, SandboxLabel> LabelsById { get; }
    public IReadOnlyDictionary<long, SandboxTechnologicalCard> TechnologicalCardsById { get; }
    public ILookup<long, SandboxFinanceTransaction> FinanceByRecord { get; }
    public ILookup<long, SandboxFinanceTransaction> FinanceByDocument { get; }
    public ILookup<long, SandboxGoodsTransaction> GoodsByRecord { get; }
    public ILookup<long, SandboxGoodsTransaction> GoodsByDocument { get; }

    public IReadOnlyList<SandboxStaff> Staff => Parts.Staff;
    public IReadOnlyList<SandboxClient> Clients => Parts.Clients;
    public IReadOnlyList<SandboxService> Services => Parts.Services;
    public IReadOnlyList<SandboxServiceCategory> ServiceCategories => Parts.ServiceCategories;
    public IReadOnlyList<SandboxVisit> Visits => Parts.Visits;
    public IReadOnlyList<SandboxStorage> Storages => Parts.Storages;
    public IReadOnlyList<SandboxGood> Goods => Parts.Goods;
    public IReadOnlyList<SandboxDocument> Documents => Parts.Documents;
    public IReadOnlyList<SandboxLabel> Labels => Parts.Labels;
    public IReadOnlyList<SandboxAccount> Accounts => Parts.Accounts;
    public IReadOnlyList<SandboxTechnologicalCard> TechnologicalCards => Parts.TechnologicalCards;

    private static ILookup<long, T> ToLookupById<T>(IEnumerable<T> items, Func<T, long> key) =>
        items.Where(i => key(i) != 0).ToLookup(key);
}
