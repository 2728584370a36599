namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A client card of one company. Visit statistics are computed when the data is generated.</summary>
public sealed record SandboxClient
{
    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required string FirstName { get; init; }
    public required string Surname { get; init; }
    public required string Patronymic { get; init; }
    /// <summary>"Имя Фамилия", the <c>name</c> of the legacy list.</summary>
    public required string DisplayName { get; init; }
    /// <summary>"+7" followed by ten digits.</summary>
    public required string Phone { get; init; }
    public required string Email { get; init; }
    /// <summary>0 unknown, 1 male, 2 female.</summary>
    public required int SexId { get; init; }
    public required DateOnly? BirthDate { get; init; }
    /// <summary>Personal discount in percent.</summary>
    public required decimal Discount { get; init; }
    /// <summary>0 none, 1 bronze, 2 silver, 3 gold.</summary>
    public required int ImportanceId { get; init; }
    public required string Card { get; init; }
    public required string Comment { get; init; }
    /// <summary>Client labels (<c>/labels/{company_id}/1</c>).</summary>
    public required IReadOnlyList<long> CategoryIds { get; init; }
    public required bool SmsCheck { get; init; }
    public required bool SmsNot { get; init; }
    /// <summary>Sum of the client's payments (services and goods).</summary>
    public required decimal Spent { get; init; }
    /// <summary>Records the client attended (attendance 1).</summary>
    public required int SuccessVisits { get; init; }
    /// <summary>Records the client did not come to (attendance -1).</summary>
    public required int FailVisits { get; init; }
    /// <summary>Local time of the first attended record, if any.</summary>
    public required DateTime? FirstVisit { get; init; }
    /// <summary>Local time of the last attended record, if any.</summary>
    public required DateTime? LastVisit { get; init; }
    public required DateTimeOffset LastChangeDate { get; init; }
}
