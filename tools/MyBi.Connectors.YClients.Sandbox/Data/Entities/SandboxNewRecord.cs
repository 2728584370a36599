namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>Input of <see cref="SandboxData.AddRecord"/>.</summary>
public sealed record SandboxNewRecord
{
    public required long StaffId { get; init; }
    /// <summary>Local session start in the company's zone.</summary>
    public required DateTime LocalStart { get; init; }
    public required IReadOnlyList<long> ServiceIds { get; init; }
    public long? ClientId { get; init; }
    public decimal DiscountPercent { get; init; }
    public int Attendance { get; init; }
    public string Comment { get; init; } = "";
}
