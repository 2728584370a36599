using MyBi.Abstractions.Destinations;
using MyBi.Plugins.Testing;

namespace MyBi.Destinations.ClickHouse.Tests;

/// <summary>
/// The shared destination suite against the ClickHouse server of MYBI_TEST_CLICKHOUSE, each test in a database of
/// its own. The destination talks through a TCP proxy so that a write can lose its connection mid-request.
/// </summary>
public sealed class ClickHouseDestinationConformanceTests : DestinationConformanceTests
{
    private readonly string _database = ClickHouseTestServer.NewDatabaseName();
    private InterruptibleTcpProxy? _proxy;

    protected override Task<Destination> CreateDestinationAsync()
    {
        var settings = ClickHouseTestServer.Settings;
        _proxy = new InterruptibleTcpProxy(settings.Host, settings.Port);
        Destination destination = new ClickHouseDestination(new ClickHouseDestinationOptions
        {
            ConnectionString = ClickHouseTestServer.ConnectionStringThrough(_proxy.Port),
            Database = _database,
        });
        return Task.FromResult(destination);
    }

    protected override Task InterruptWritesAsync(Destination destination)
    {
        // The driver serializes the batch before it sends it: the cut lands in the upload that follows.
        _ = _proxy!.CutNextUpload();
        return Task.CompletedTask;
    }

    protected override string QuoteIdentifier(string name) => "`" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal) + "`";

    protected override async Task CleanupAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        await ClickHouseTestServer.DropDatabaseAsync(_database);
    }
}
