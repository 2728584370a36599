namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>A company (branch, "филиал").</summary>
public sealed record SandboxCompany
{
    public required long Id { get; init; }
    public required string Title { get; init; }
    public required string ShortDescription { get; init; }
    /// <summary>IANA zone name, e.g. <c>Europe/Moscow</c>.</summary>
    public required string TimeZoneName { get; init; }
    /// <summary>Fixed UTC offset of the zone (Russian zones have no daylight saving).</summary>
    public required TimeSpan UtcOffset { get; init; }
    public required int CityId { get; init; }
    public required string City { get; init; }
    public required string Address { get; init; }
    public required string Zip { get; init; }
    public required string Phone { get; init; }
    public required string CoordinateLat { get; init; }
    public required string CoordinateLon { get; init; }
    public required long ChainId { get; init; }
    public required string ChainTitle { get; init; }
    /// <summary>False for the one company the sandbox users have no rights to (403 on its data).</summary>
    public required bool MainUserHasAccess { get; init; }
}
