using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MyBi.Benchmarks.Internal;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Hosting;
using MyBi.Server;
using Npgsql;

namespace MyBi.Benchmarks;

/// <summary>
/// <c>mybi bench hooks</c>: webhook events per second that <c>mybi serve</c> answers 200 with the event committed in
/// DuckDB and in PostgreSQL, against a bare Kestrel endpoint that answers 200 without storing, with the same load
/// generator in the same run. The bodies are record events shaped as YCLIENTS sends them (the record as the
/// sandbox's API returns it), one new record id each, for a company the pipelines load, so every event is also
/// applied to records and record_services after it was answered. During a burst the server gives answering the
/// way and applies afterwards, so after each round the benchmark waits until the server reports nothing left to
/// apply (its <c>/metrics</c>), measures how long that took, and only then starts the next round: no target is
/// measured while another one's applying still runs, and the applying rate is a figure of its own.
/// </summary>
public static class HooksBenchmark
{
    private const string Bare = "bare";
    private static readonly TimeSpan s_maxSettle = TimeSpan.FromMinutes(5);

    /// <summary>Runs the benchmark and writes the figures to <paramref name="output"/>.</summary>
    public static async Task RunAsync(HooksBenchmarkOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        options.Validate();
        // A warm-up pass is as long as a round: the server compiles a commit's code (once per batch, not per event)
        // only after dozens of commits, and the applier's after several batches.
        var warmUpEvents = options.Events;
        var today = DateOnly.FromDateTime(options.TimeProvider.GetUtcNow().UtcDateTime);
        await using var sandbox = await SandboxServer.StartAsync(
            new SandboxOptions { Seed = 8, Companies = 1, StaffPerCompany = 2, ClientsPerCompany = 20, DaysBack = 3, DaysForward = 1, Today = today, TimeProvider = options.TimeProvider, RateLimitEnabled = false, Port = 0 },
            cancellationToken).ConfigureAwait(false);
        var company = sandbox.Data.AccessibleCompanies[0].Id;
        var template = await RecordAsync(sandbox, company, cancellationToken).ConfigureAwait(false);
        var folder = Directory.CreateTempSubdirectory("mybi-bench-hooks-").FullName;
        var schema = "bench_hooks_" + Guid.NewGuid().ToString("N")[..8];
        var secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var log = new List<string>();
        try
        {
            var targets = new List<string> { "duckdb" };
            Write(folder, "duckdb", sandbox, company, "{type: duckdb, path: ./hooks.duckdb}");
            if (options.PostgresConnection is { } connection)
            {
                targets.Add("postgres");
                Write(folder, "postgres", sandbox, company, $"{{type: postgres, connection: \"{connection}\", schema: {schema}}}");
            }

            string? Environment(string name) => name.StartsWith("MYBI_HOOK_SECRET_", StringComparison.Ordinal) ? secret : System.Environment.GetEnvironmentVariable(name);
            var loader = new PipelineLoader(options.TimeProvider, Environment);
            var pipelines = targets.Select(t => loader.Load(Path.Combine(folder, t + ".yaml")).GetPipelineOrThrow()).ToList();
            var serverOptions = new ServerOptions
            {
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                TimeProvider = options.TimeProvider,
                Log = line =>
                {
                    lock (log)
                    {
                        log.Add(line);
                    }
                },
            };

            var bodySize = 0;
            var results = new Dictionary<string, List<HookLoadResult>>(StringComparer.Ordinal);
            var settles = new Dictionary<string, List<TimeSpan>>(StringComparer.Ordinal);
            var warmedUp = new Dictionary<string, int>(StringComparer.Ordinal);
            TimeSpan drained;
            using var load = new HookLoad(options.Concurrency);
            var server = await MyBiServer.StartAsync(pipelines, Environment, serverOptions, cancellationToken).ConfigureAwait(false);
            try
            {
                await using var bare = await BareEndpoint.StartAsync(cancellationToken).ConfigureAwait(false);
                using var metrics = new HttpClient { BaseAddress = server.Address };
                var urls = new Dictionary<string, Uri>(StringComparer.Ordinal) { [Bare] = new(bare.Address, "/hooks/bare/x") };
                foreach (var target in targets)
                {
                    urls[target] = new Uri(server.Address, HookSecrets.PathOf(target, secret));
                }

                var next = 0L;
                IReadOnlyList<byte[]> Bodies(int count)
                {
                    var bodies = RecordEvents(template, company, next, count);
                    next += count;
                    bodySize = bodies[0].Length;
                    return bodies;
                }

                // Every target a few times before measuring, so none pays for connections or compilation.
                await WarmUp.RunAsync(
                    async () =>
                    {
                        foreach (var (target, url) in urls)
                        {
                            await load.RunAsync(url, Bodies(warmUpEvents), cancellationToken).ConfigureAwait(false);
                            warmedUp[target] = warmedUp.GetValueOrDefault(target) + warmUpEvents;
                            if (target != Bare)
                            {
                                await SettleAsync(metrics, target, cancellationToken).ConfigureAwait(false);
                            }
                        }
                    },
                    cancellationToken).ConfigureAwait(false);

                var order = urls.Keys.ToList();
                for (var round = 0; round < options.Rounds; round++)
                {
                    // The targets take turns, starting with a different one each round.
                    foreach (var target in order.Skip(round % order.Count).Concat(order.Take(round % order.Count)))
                    {
                        var bodies = Bodies(options.Events);
                        await Task.Delay(200, cancellationToken).ConfigureAwait(false);
                        var result = await load.RunAsync(urls[target], bodies, cancellationToken).ConfigureAwait(false);
                        (results.TryGetValue(target, out var list) ? list : results[target] = []).Add(result);
                        if (target != Bare)
                        {
                            var settle = await SettleAsync(metrics, target, cancellationToken).ConfigureAwait(false);
                            (settles.TryGetValue(target, out var times) ? times : settles[target] = []).Add(settle);
                        }
                    }
                }
            }
            finally
            {
                // Stopping drains: every event answered is applied before the server is gone.
                var stopping = Stopwatch.GetTimestamp();
                await server.DisposeAsync().ConfigureAwait(false);
                drained = Stopwatch.GetElapsedTime(stopping);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Hooks benchmark: {options.Events:N0} record events per target and round, {options.Concurrency} HTTP clients on loopback, bodies of {bodySize:N0} bytes; {options.Rounds} round(s), median round")).ConfigureAwait(false);
            var bareMedian = Median(results[Bare]);
            await output.WriteLineAsync(Line(Bare, bareMedian, null)).ConfigureAwait(false);
            foreach (var (target, pipeline) in targets.Zip(pipelines))
            {
                var median = Median(results[target]);
                var stored = await StoredAsync(pipeline, cancellationToken).ConfigureAwait(false);
                var settle = settles[target].Order().ElementAt(settles[target].Count / 2);
                var applying = options.Events / (median.Elapsed + settle).TotalSeconds;
                await output.WriteLineAsync(Line(target, median, bareMedian) + string.Create(CultureInfo.InvariantCulture, $"; stored {stored.Events:N0}/{warmedUp[target] + (options.Events * options.Rounds):N0} events, {stored.Records:N0} records applied")).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"",-9} applying went on {settle.TotalSeconds:0.00} s after the last answer (median): {applying:N0} events/s received and applied end to end")).ConfigureAwait(false);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  stopping the server (applying what was still queued) took {drained.TotalSeconds:0.00} s; goal: >= 0.25x bare and p99 < 50 ms")).ConfigureAwait(false);
            foreach (var line in log.Take(5))
            {
                await output.WriteLineAsync("  server: " + line).ConfigureAwait(false);
            }
        }
        finally
        {
            if (options.PostgresConnection is { } connection)
            {
                await DropSchemaAsync(connection, schema).ConfigureAwait(false);
            }

            TryDelete(folder);
        }
    }

    private static string Line(string target, HookLoadResult result, HookLoadResult? bare)
    {
        var ratio = bare is null ? "" : string.Create(CultureInfo.InvariantCulture, $"  {result.PerSecond / Math.Max(bare.PerSecond, 1e-9):0.00}x bare");
        return string.Create(CultureInfo.InvariantCulture, $"  {target,-9} {result.PerSecond,9:N0} events/s  p50 {result.P50.TotalMilliseconds,6:0.0} ms  p99 {result.P99.TotalMilliseconds,6:0.0} ms  {result.CpuPerEvent.TotalMicroseconds,5:0} µs CPU/event  {result.BytesPerEvent / 1024.0,5:0.0} KB alloc/event  GC pauses {result.GcPauses.TotalMilliseconds,5:0} ms  ({result.Accepted:N0} answered 200, {result.Refused:N0} not){ratio}");
    }

    /// <summary>
    /// Waits until the server reports no committed event of the pipeline left to apply; returns how long that took.
    /// A server that does not get there within <see cref="s_maxSettle"/> (its destination went away, say) ends the
    /// benchmark with an error instead of a wait without end.
    /// </summary>
    private static async Task<TimeSpan> SettleAsync(HttpClient metrics, string pipeline, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var gauge = new Regex($"^mybi_webhook_apply_waiting[^ {{]*\\{{[^}}]*pipeline=\"{Regex.Escape(pipeline)}\"[^}}]*\\}} (\\S+)", RegexOptions.Multiline);
        while (true)
        {
            var text = await metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            var match = gauge.Match(text);
            if (!match.Success)
            {
                throw new InvalidOperationException($"/metrics has no mybi_webhook_apply_waiting for {pipeline}; the benchmark cannot tell when applying is done.");
            }

            if (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) == 0)
            {
                return Stopwatch.GetElapsedTime(started);
            }

            if (Stopwatch.GetElapsedTime(started) > s_maxSettle)
            {
                throw new InvalidOperationException($"The server still had events of {pipeline} to apply after {s_maxSettle.TotalMinutes:0} minutes (is its destination away?); the benchmark stops here.");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    private static HookLoadResult Median(List<HookLoadResult> results) => results.OrderBy(r => r.PerSecond).ElementAt(results.Count / 2);

    private static void Write(string folder, string name, SandboxServer sandbox, long company, string destination) =>
        File.WriteAllText(Path.Combine(folder, name + ".yaml"), $$"""
            name: {{name}}
            source:
              connector: yclients
              config: {base_url: "{{sandbox.BaseUrl}}", partner_token: "{{SandboxCredentials.PartnerToken}}", user_token: "{{SandboxCredentials.UserToken}}", company_id: {{company}}}
              streams: [records, record_services, clients]
            destination: {{destination}}
            """);

    /// <summary>One record as the API returns it: the shape of a record event's <c>data</c>.</summary>
    private static async Task<JsonObject> RecordAsync(SandboxServer sandbox, long company, CancellationToken cancellationToken)
    {
        var id = sandbox.Data.Records(company).First(r => !r.Deleted).Id;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(string.Create(CultureInfo.InvariantCulture, $"{sandbox.BaseUrl.AbsoluteUri.TrimEnd('/')}/record/{company}/{id}")));
        request.Headers.TryAddWithoutValidation("Authorization", SandboxCredentials.UserHeader());
        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.yclients.v2+json");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))!["data"]!.AsObject();
    }

    /// <summary>Record events for new record ids from <paramref name="first"/> on, each a distinct body.</summary>
    private static List<byte[]> RecordEvents(JsonObject template, long company, long first, int count)
    {
        var bodies = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            var id = 700_000_000 + first + i;
            var data = (JsonObject)template.DeepClone();
            data["id"] = id;
            var body = new JsonObject { ["company_id"] = company, ["resource"] = "record", ["resource_id"] = id, ["status"] = "create", ["data"] = data };
            bodies.Add(Encoding.UTF8.GetBytes(body.ToJsonString()));
        }

        return bodies;
    }

    private static async Task<(long Events, long Records)> StoredAsync(LoadedPipeline pipeline, CancellationToken cancellationToken)
    {
        await using var destination = pipeline.CreateDestination();
        var events = await destination.QueryAsync("SELECT count(*) FROM yclients_webhook_events WHERE applied", 1, cancellationToken).ConfigureAwait(false);
        var records = await destination.QueryAsync("SELECT count(*) FROM records WHERE id >= 700000000", 1, cancellationToken).ConfigureAwait(false);
        return (Convert.ToInt64(events.Rows[0][0], CultureInfo.InvariantCulture), Convert.ToInt64(records.Rows[0][0], CultureInfo.InvariantCulture));
    }

    private static async Task DropSchemaAsync(string connection, string schema)
    {
        try
        {
            await using var data = NpgsqlDataSource.Create(connection);
            await using var command = data.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // A leftover benchmark schema is not worth failing a finished benchmark for.
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // As above: a leftover temporary folder.
        }
    }
}
