namespace MyBi.TestServers.ClickHouse.Chdb;

/// <summary>The counters the HTTP interface reports in X-ClickHouse-Summary.</summary>
internal readonly record struct QueryStatistics(ulong ReadRows, ulong ReadBytes, ulong WrittenRows, ulong WrittenBytes, double ElapsedSeconds)
{
    public static QueryStatistics operator +(QueryStatistics a, QueryStatistics b) => new(
        a.ReadRows + b.ReadRows,
        a.ReadBytes + b.ReadBytes,
        a.WrittenRows + b.WrittenRows,
        a.WrittenBytes + b.WrittenBytes,
        a.ElapsedSeconds + b.ElapsedSeconds);
}
