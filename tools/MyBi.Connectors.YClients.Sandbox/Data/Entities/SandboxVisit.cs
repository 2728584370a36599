namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A visit groups the records of one client's visit.</summary>
public sealed record SandboxVisit
{
    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required long? ClientId { get; init; }
    public required DateTimeOffset Datetime { get; init; }
    public required int Attendance { get; init; }
    public required string Comment { get; init; }
    public required IReadOnlyList<long> RecordIds { get; init; }
}
