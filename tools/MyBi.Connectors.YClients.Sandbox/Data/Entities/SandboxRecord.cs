namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A record (appointment, "запись"). Times carry the company's UTC offset.</summary>
public sealed record SandboxRecord
{
    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required long StaffId { get; init; }
    /// <summary>Null for an anonymous booking (<c>"client": null</c>).</summary>
    public required long? ClientId { get; init; }
    public required long VisitId { get; init; }
    /// <summary>Start of the session in the company's zone.</summary>
    public required DateTimeOffset Datetime { get; init; }
    public required int LengthSeconds { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public required DateTimeOffset LastChangeDate { get; init; }
    /// <summary>2 confirmed, 1 came, 0 waiting, -1 no-show.</summary>
    public required int Attendance { get; init; }
    public required bool Confirmed { get; init; }
    public required bool Deleted { get; init; }
    public required bool PaidFull { get; init; }
    public required bool Online { get; init; }
    public required string Comment { get; init; }
    public required string RecordFrom { get; init; }
    public required long CreatedUserId { get; init; }
    public required IReadOnlyList<long> LabelIds { get; init; }
    /// <summary>The record's "Визит" documents (type 7).</summary>
    public required IReadOnlyList<long> DocumentIds { get; init; }
    public required IReadOnlyList<SandboxRecordService> Services { get; init; }
    public required IReadOnlyList<SandboxRecordGood> Goods { get; init; }

    /// <summary>Local (naive) session start, the record's <c>date</c>.</summary>
    public DateTime Date => Datetime.DateTime;

    /// <summary>Local session date, what <c>start_date</c>/<c>end_date</c> filter on.</summary>
    public DateOnly Day => DateOnly.FromDateTime(Datetime.DateTime);

    /// <summary>Sum of the service lines' <c>cost</c>.</summary>
    public decimal ServicesCost => Services.Sum(s => s.Cost);

    /// <summary>Sum of the goods lines' <c>cost</c>.</summary>
    public decimal GoodsCost => Goods.Sum(g => g.Cost);
}
