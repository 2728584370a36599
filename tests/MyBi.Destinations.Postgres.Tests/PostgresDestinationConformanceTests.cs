using MyBi.Abstractions.Destinations;
using MyBi.Plugins.Testing;

namespace MyBi.Destinations.Postgres.Tests;

/// <summary>The shared destination suite against a real PostgreSQL server, one schema per test.</summary>
public sealed class PostgresDestinationConformanceTests : DestinationConformanceTests
{
    private readonly string _schema = PostgresTestServer.UniqueName("mybi_conf");
    private readonly string _applicationName = PostgresTestServer.UniqueName("mybi_conf_app");

    protected override Task<Destination> CreateDestinationAsync()
    {
        var options = new PostgresDestinationOptions
        {
            ConnectionString = PostgresTestServer.With(b => b.ApplicationName = _applicationName),
            Schema = _schema,
        };
        return Task.FromResult<Destination>(new PostgresDestination(options));
    }

    protected override async Task InterruptWritesAsync(Destination destination)
    {
        // Only busy backends: idle pooled connections stay usable, as they would after a real network blip on one socket.
        // The writer may still be preparing the batch (reading its keys) when this is called, before its transaction
        // starts; wait for the backend to become busy. If the write finishes first, the suite checks the complete case.
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var terminated = await PostgresTestServer.AdminAsync(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @app AND state <> 'idle' AND pid <> pg_backend_pid()",
                ("app", _applicationName));
            if ((long)terminated! >= 1)
            {
                return;
            }

            await Task.Delay(25);
        }
    }

    protected override string QualifiedTableName(string table) => QuoteIdentifier(_schema) + "." + QuoteIdentifier(table);

    protected override Task CleanupAsync() => PostgresTestServer.DropSchemaAsync(_schema);
}
