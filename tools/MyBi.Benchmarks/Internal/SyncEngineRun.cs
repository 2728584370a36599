using System.Diagnostics;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Destinations.DuckDb;
using MyBi.Engine.Running;

namespace MyBi.Benchmarks.Internal;

/// <summary>The engine path: <see cref="PipelineRunner"/> with the plugin's connector into a fresh DuckDB file.</summary>
internal sealed class SyncEngineRun
{
    private readonly SyncBenchmarkOptions _options;
    private readonly SandboxServer _server;
    private readonly string _folder;
    private readonly JsonObject _config;
    private int _runs;

    public SyncEngineRun(SyncBenchmarkOptions options, SandboxServer server, string folder)
    {
        _options = options;
        _server = server;
        _folder = folder;
        _config = new JsonObject
        {
            ["base_url"] = server.BaseUrl.AbsoluteUri,
            ["partner_token"] = SandboxCredentials.PartnerToken,
            ["user_token"] = SandboxCredentials.UserToken,
            ["company_ids"] = new JsonArray([.. server.Data.AccessibleCompanies.Select(c => (JsonNode)c.Id)]),
            ["page_size"] = SyncCeiling.PageSize,
            // No budget to wait for: the sandbox does not limit, and the benchmark measures the work, not the wait.
            ["requests_per_second"] = 1_000_000,
            ["requests_per_minute"] = 100_000_000,
            ["max_retries"] = 0,
            ["timeout_seconds"] = 120,
        };
    }

    public async Task<SyncEngineResult> RunAsync(SyncPeriod period, MemorySampler? memory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_folder, $"bench-{++_runs}.duckdb");
        var job = new SyncJob
        {
            Pipeline = "bench-sync",
            Connector = _options.Connector,
            SourceConfig = (JsonObject)_config.DeepClone(),
            Streams = _options.Streams,
            From = period.From,
            To = period.To,
            BaseDirectory = _folder,
            BatchSize = _options.BatchSize,
        };

        _server.Stats.Reset();
        memory?.Start();
        var cpu = ProcessCpu.Now();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var collections = GcCollections.Now();
        var started = Stopwatch.GetTimestamp();
        RunResult result;
        await using (var destination = new DuckDbDestination(new DuckDbDestinationOptions(path)))
        {
            result = await new PipelineRunner(_options.TimeProvider).RunAsync(job, destination, cancellationToken).ConfigureAwait(false);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuUsed = ProcessCpu.Now() - cpu;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        collections = GcCollections.Now() - collections;
        if (memory is not null)
        {
            await memory.StopAsync().ConfigureAwait(false);
        }

        if (result.Status != MyBi.Engine.State.RunStatus.Succeeded)
        {
            throw MyBiException.System($"The benchmark sync did not succeed ({result.Status}): {result.Message}");
        }

        var targets = _server.Stats.AnsweredTargets;
        foreach (var file in Directory.EnumerateFiles(_folder, Path.GetFileName(path) + "*"))
        {
            File.Delete(file);
        }

        return new SyncEngineResult(result.TotalRows, elapsed, cpuUsed, allocated, targets, memory?.BaselineBytes ?? 0, memory?.PeakBytes ?? 0, memory?.SteadyBytes ?? 0, collections);
    }
}
