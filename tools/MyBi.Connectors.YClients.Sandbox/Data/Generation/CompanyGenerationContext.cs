namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>State shared by the generators of one company while its lists are being built.</summary>
internal sealed class CompanyGenerationContext
{
    public CompanyGenerationContext(SandboxOptions options, SandboxCompany company, int companyIndex, DateOnly today, GenerationRandom random, IdSequences ids)
    {
        Options = options;
        Company = company;
        CompanyIndex = companyIndex;
        Today = today;
        Random = random;
        Ids = ids;
        Anchor = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToOffset(company.UtcOffset);
    }

    public SandboxOptions Options { get; }
    public SandboxCompany Company { get; }
    public int CompanyIndex { get; }
    public DateOnly Today { get; }
    public GenerationRandom Random { get; }
    public IdSequences Ids { get; }

    /// <summary>Start of <see cref="Today"/> in UTC: generated history never changes after this instant.</summary>
    public DateTimeOffset Anchor { get; }

    public List<SandboxStaff> Staff { get; } = [];
    public List<SandboxClient> Clients { get; } = [];
    public List<SandboxServiceCategory> Categories { get; } = [];
    public List<SandboxService> Services { get; } = [];
    public List<SandboxTechnologicalCard> TechnologicalCards { get; } = [];
    public List<SandboxRecord> Records { get; } = [];
    public List<SandboxVisit> Visits { get; } = [];
    public List<SandboxFinanceTransaction> Finance { get; } = [];
    public List<SandboxGoodsTransaction> GoodsTransactions { get; } = [];
    public List<SandboxStorage> Storages { get; } = [];
    public List<SandboxGood> Goods { get; } = [];
    public List<SandboxDocument> Documents { get; } = [];
    public List<SandboxLabel> Labels { get; } = [];
    public List<SandboxAccount> Accounts { get; } = [];
    public List<(long Id, string Title)> Suppliers { get; } = [];

    public long NextDocumentNumber { get; set; } = 1000;

    public SandboxStorage SaleStorage => Storages.First(s => s.ForSale);
    public SandboxStorage ServiceStorage => Storages.First(s => s.ForService);
    public SandboxAccount CashAccount => Accounts.First(a => a.Type == 0);
    public SandboxAccount CardAccount => Accounts.First(a => a.Type == 1);

    public DateTimeOffset Local(DateOnly day, int minutesFromMidnight) =>
        new(day.ToDateTime(TimeOnly.MinValue).AddMinutes(minutesFromMidnight), Company.UtcOffset);

    /// <summary>Keeps generated history strictly before <see cref="Anchor"/>.</summary>
    public DateTimeOffset Cap(DateTimeOffset value) =>
        value < Anchor ? value : Anchor.AddSeconds(-Random.Between(60, 3600));

    public SandboxDocument AddDocument(int typeId, DateTimeOffset created, long storageId, string comment, long recordId, long visitId)
    {
        var document = new SandboxDocument
        {
            Id = Ids.NextDocument(Random.Between(1, 3)),
            CompanyId = Company.Id,
            TypeId = typeId,
            Number = NextDocumentNumber++,
            StorageId = storageId,
            UserId = SandboxCredentials.UserId,
            Comment = comment,
            CreateDate = created,
            RecordId = recordId,
            VisitId = visitId,
        };
        Documents.Add(document);
        return document;
    }

    public CompanyDataParts ToParts() => new()
    {
        Company = Company,
        Staff = [.. Staff],
        Clients = [.. Clients],
        ServiceCategories = [.. Categories],
        Services = [.. Services],
        TechnologicalCards = [.. TechnologicalCards],
        Records = [.. Records],
        Visits = [.. Visits],
        FinanceTransactions = [.. Finance],
        GoodsTransactions = [.. GoodsTransactions],
        Storages = [.. Storages],
        Goods = [.. Goods],
        Documents = [.. Documents],
        Labels = [.. Labels],
        Accounts = [.. Accounts],
    };
}
