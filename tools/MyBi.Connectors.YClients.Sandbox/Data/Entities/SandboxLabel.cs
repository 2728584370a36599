namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A label ("категория"): entity 2 labels records, entity 1 labels clients.</summary>
public sealed record SandboxLabel
{
    public const int ClientEntity = 1;
    public const int RecordEntity = 2;

    public required long Id { get; init; }
    public required long CompanyId { get; init; }
    public required int Entity { get; init; }
    public required string Title { get; init; }
    /// <summary>Hex colour without <c>#</c>.</summary>
    public required string Color { get; init; }
    public required string Icon { get; init; }
    public required string FontColor { get; init; }
}
