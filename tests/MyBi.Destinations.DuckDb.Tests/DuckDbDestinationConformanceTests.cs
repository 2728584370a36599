using MyBi.Abstractions.Destinations;
using MyBi.Plugins.Testing;

namespace MyBi.Destinations.DuckDb.Tests;

public sealed class DuckDbDestinationConformanceTests : DestinationConformanceTests
{
    private readonly TempFolder _folder = new();

    protected override Task<Destination> CreateDestinationAsync() =>
        Task.FromResult<Destination>(new DuckDbDestination(new DuckDbDestinationOptions(_folder.File("warehouse.duckdb"))));

    // An embedded database has no connection to lose; cancelling the write is the nearest interruption.
    protected override Task InterruptWritesAsync(Destination destination)
    {
        CancelInFlightWrites();
        return Task.CompletedTask;
    }

    protected override Task CleanupAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}
