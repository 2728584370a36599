namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>An employee ("сотрудник", "мастер").</summary>
public sealed record SandboxStaff
{
    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required string Name { get; init; }
    public required string Specialization { get; init; }
    public required long PositionId { get; init; }
    public required string PositionTitle { get; init; }
    public required decimal Rating { get; init; }
    public required int VotesCount { get; init; }
    public required int Weight { get; init; }
    public required long UserId { get; init; }
    /// <summary>Services this employee performs.</summary>
    public required IReadOnlyList<long> ServiceIds { get; init; }
}
