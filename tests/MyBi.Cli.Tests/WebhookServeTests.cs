using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>`mybi serve` as a child process against the sandbox and a DuckDB file: bad input, commit and apply.</summary>
public sealed class WebhookServeTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-hooks-").FullName;
    private readonly HttpClient _http = new();
    private readonly StringBuilder _serverLog = new();
    private readonly List<Func<Task>> _stop = [];
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSandboxes.StartAsync(seed: 8, clients: 50, daysBack: 5, daysForward: 2);
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        foreach (var stop in _stop)
        {
            await stop();
        }

        _http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Serve_CommitsAppliesAndRefusesBadInput()
    {
        var path = _pipelines.Write("hooks", _pipelines.TokenConfig(), "[records, record_services, clients]");
        var url = await CliProcess.RunAsync(_folder, null, "hooks", "url", path, "--public-url", "http://127.0.0.1:1");
        Assert.True(url.ExitCode == 0, url.ToString());
        var secret = url.Stdout.Trim().Split('/')[^1];
        Assert.DoesNotContain(secret, File.ReadAllText(path));
        Assert.Contains(secret, File.ReadAllText(Path.Combine(_folder, ".mybi", "secrets.env")));

        var port = ServeProcesses.FreePort();
        using var serve = Start(path, port);
        var baseUrl = $"http://127.0.0.1:{port}";
        await ServeProcesses.WaitListeningAsync(serve, port, _serverLog);

        var record = _server.Data.Records(_pipelines.CompanyId).First(r => !r.Deleted);
        var changed = _server.Data.ChangeAttendance(_pipelines.CompanyId, record.Id, record.Attendance == 1 ? -1 : 1);
        var data = await RecordJsonAsync(record.Id);
        var body = RecordEvent(record.Id, data);

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync($"{baseUrl}/hooks/hooks/wrong", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync($"{baseUrl}/hooks/nope/{secret}", body)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync($"{baseUrl}/hooks/hooks/{secret}", new string('x', 1024 * 1024 + 1))).StatusCode);
        var notJson = await PostAsync($"{baseUrl}/hooks/hooks/{secret}", "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        var noData = await PostAsync($"{baseUrl}/hooks/hooks/{secret}", """{"company_id": 1, "resource": "record", "resource_id": 5, "status": "update", "data": []}""");
        Assert.Equal(HttpStatusCode.BadRequest, noData.StatusCode);
        var unknown = await PostAsync($"{baseUrl}/hooks/hooks/{secret}", $$$"""{"company_id": {{{_pipelines.CompanyId}}}, "resource": "loyalty_card", "resource_id": 7, "status": "create", "data": {"id": 7} }""");
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);

        // JSON allows the escape of a lone surrogate, which .NET refuses to read as a string: in the envelope it was a
        // 500 and the event was lost, in the record it failed applying at every attempt and held later events back.
        var other = _server.Data.Records(_pipelines.CompanyId).First(r => !r.Deleted && r.Id != record.Id);
        var otherData = await RecordJsonAsync(other.Id);
        otherData["comment"] = "MARK";
        var lone = RecordEvent(other.Id, otherData).Replace("\"MARK\"", "\"Ann\\ud800\"", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"{baseUrl}/hooks/hooks/{secret}", lone)).StatusCode);
        var loneResource = $$$"""{"company_id": {{{_pipelines.CompanyId}}}, "resource": "x\udc00", "resource_id": 7, "status": "create", "data": {"id": 7} }""";
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync($"{baseUrl}/hooks/hooks/{secret}", loneResource)).StatusCode);

        // Twice: a duplicate delivery is one event.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"{baseUrl}/hooks/hooks/{secret}", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"{baseUrl}/hooks/hooks/{secret}", body)).StatusCode);

        // An older state of the same record, arriving later, changes nothing.
        var older = JsonNode.Parse(body)!.AsObject();
        older["data"]!["attendance"] = record.Attendance;
        older["data"]!["last_change_date"] = record.LastChangeDate.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture).Remove(22, 1);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"{baseUrl}/hooks/hooks/{secret}", older.ToJsonString())).StatusCode);

        await ServeProcesses.StopAsync(serve);

        var events = await _pipelines.QueryAsync(path, "SELECT resource, applied, note FROM yclients_webhook_events ORDER BY resource, received_at");
        Assert.Equal(["loyalty_card", "record", "record", "record"], events.EnumerateArray().Select(e => e.GetProperty("resource").GetString()));
        Assert.All(events.EnumerateArray(), e => Assert.True(e.GetProperty("applied").GetBoolean()));
        Assert.Contains("stored only", events[0].GetProperty("note").GetString(), StringComparison.Ordinal);
        var comment = await _pipelines.QueryAsync(path, $"SELECT comment FROM records WHERE id = {other.Id}");
        Assert.Equal("Ann\uFFFD", comment[0].GetProperty("comment").GetString());
        var rows = await _pipelines.QueryAsync(path, $"SELECT attendance, CAST(date_local AS VARCHAR) AS day FROM records WHERE id = {record.Id}");
        Assert.Equal(changed.Attendance, rows[0].GetProperty("attendance").GetInt64());

        // The company's local day, as a pull writes it, so the record counts in the views.
        Assert.Equal(DateOnly.FromDateTime(record.Datetime.DateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), rows[0].GetProperty("day").GetString());
        var services = await _pipelines.QueryAsync(path, $"SELECT count(*) AS n FROM record_services WHERE record_id = {record.Id}");
        Assert.Equal(record.Services.Select(s => s.ServiceId).Distinct().Count(), services[0].GetProperty("n").GetInt64());
        var quarantine = await _pipelines.QueryAsync(path, "SELECT error FROM _mybi_quarantine WHERE source = 'webhooks' ORDER BY error");
        Assert.Equal(3, quarantine.GetArrayLength());
        Assert.Contains("no 'data'", quarantine[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("'resource' is not a name", quarantine[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("not JSON", quarantine[2].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_EventWithAValueThatDoesNotFit_IsSetAside_TheEventsAroundItAreApplied()
    {
        // A record whose datetime is an object failed its whole batch at every attempt: the server took the
        // destination for away, and no event after it was applied.
        var path = _pipelines.Write("unfit", _pipelines.TokenConfig(), "[records, record_services, goods]");
        var secret = await SecretAsync(path);
        var port = ServeProcesses.FreePort();
        using var serve = Start(path, port);
        await ServeProcesses.WaitListeningAsync(serve, port, _serverLog);
        // The fourth has a service whose cost has more integer digits than the column holds, which the warehouse
        // refused for the whole batch.
        var records = _server.Data.Records(_pipelines.CompanyId).Where(r => !r.Deleted && r.Services.Count > 0).Take(4).ToList();
        foreach (var record in records)
        {
            var data = await RecordJsonAsync(record.Id);
            if (record == records[1])
            {
                data["datetime"] = new JsonObject { ["at"] = "noon" };
            }

            if (record == records[3])
            {
                data["services"]![0]!["cost"] = 100_000_000_000_000_000_000m;
            }

            Assert.Equal(HttpStatusCode.OK, (await PostAsync($"http://127.0.0.1:{port}/hooks/unfit/{secret}", RecordEvent(record.Id, data))).StatusCode);
        }

        // A row whose key is unusable is set aside alone; its event says so.
        var good = $$$"""{"company_id": {{{_pipelines.CompanyId}}}, "resource": "good", "resource_id": 11, "status": "update", "data": {"good_id": "x", "title": "t"}}""";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"http://127.0.0.1:{port}/hooks/unfit/{secret}", good)).StatusCode);

        await ServeProcesses.StopAsync(serve);

        var events = await _pipelines.QueryAsync(path, "SELECT resource_id, applied, note FROM yclients_webhook_events");
        Assert.Equal(5, events.GetArrayLength());
        Assert.All(events.EnumerateArray(), e => Assert.True(e.GetProperty("applied").GetBoolean()));
        var note = events.EnumerateArray().Single(e => e.GetProperty("resource_id").GetString() == records[1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetProperty("note").GetString();
        Assert.StartsWith("not applied: ", note, StringComparison.Ordinal);
        Assert.Contains("'datetime'", note, StringComparison.Ordinal);
        var wide = events.EnumerateArray().Single(e => e.GetProperty("resource_id").GetString() == records[3].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetProperty("note").GetString();
        Assert.StartsWith("not applied: ", wide, StringComparison.Ordinal);
        Assert.Contains("column 'cost'", wide, StringComparison.Ordinal);
        Assert.Contains("more integer digits than the column holds", wide, StringComparison.Ordinal);
        var stored = await _pipelines.QueryAsync(path, "SELECT id FROM records ORDER BY id");
        Assert.Equal(new[] { records[0].Id, records[2].Id }.Order(), stored.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        var services = await _pipelines.QueryAsync(path, $"SELECT count(*) AS n FROM record_services WHERE record_id IN ({records[1].Id}, {records[3].Id})");
        Assert.Equal(0, services[0].GetProperty("n").GetInt64());
        Assert.Equal(
            "a row of goods was set aside: unusable key: key column 'good_id' (Int64): not an integer",
            events.EnumerateArray().Single(e => e.GetProperty("resource_id").GetString() == "11").GetProperty("note").GetString());
        var quarantine = await _pipelines.QueryAsync(path, "SELECT row_json, error FROM _mybi_quarantine WHERE source = 'webhooks' ORDER BY error");
        Assert.Equal(3, quarantine.GetArrayLength());
        Assert.StartsWith("unusable key: key column 'good_id'", quarantine[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        var set = quarantine.EnumerateArray().Single(q => q.GetProperty("error").GetString()!.Contains("'datetime'", StringComparison.Ordinal));
        Assert.Contains("'datetime'", set.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("noon", set.GetProperty("row_json").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("does not take events", _serverLog.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KillNine_DuringBurst_LosesNoAnsweredEvent()
    {
        var path = _pipelines.Write("crash", _pipelines.TokenConfig(), "[records, record_services]");
        var secret = await SecretAsync(path);
        var template = await RecordJsonAsync(_server.Data.Records(_pipelines.CompanyId)[0].Id);
        var port = ServeProcesses.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var serve = Start(path, port);
        await ServeProcesses.WaitListeningAsync(serve, port, _serverLog);

        // Record ids far above the sandbox's own, one event each; the process is killed once 150 were answered.
        var acked = new System.Collections.Concurrent.ConcurrentBag<long>();
        var next = 0L;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var workers = Enumerable.Range(0, 16).Select(async _ =>
        {
            long id;
            while ((id = Interlocked.Increment(ref next)) <= 1000)
            {
                var data = template.DeepClone();
                data["id"] = 900_000_000 + id;
                var body = new JsonObject { ["company_id"] = _pipelines.CompanyId, ["resource"] = "record", ["resource_id"] = 900_000_000 + id, ["status"] = "create", ["data"] = data }.ToJsonString();
                try
                {
                    using var response = await client.PostAsync($"{baseUrl}/hooks/crash/{secret}", new StringContent(body, Encoding.UTF8, "application/json"));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acked.Add(900_000_000 + id);
                        if (acked.Count == 150)
                        {
                            serve.Kill(entireProcessTree: true);
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    // The server is gone: this event was never answered.
                }
            }
        }).ToList();
        await Task.WhenAll(workers);
        await serve.WaitForExitAsync();
        serve.Dispose();
        Assert.InRange(acked.Count, 150, 999);

        // Started again, the server applies what was committed but not yet applied.
        using (var again = Start(path, port))
        {
            await ServeProcesses.WaitListeningAsync(again, port, _serverLog);
            await ServeProcesses.StopAsync(again);
        }

        var stored = await _pipelines.QueryAsync(path, "SELECT id FROM records WHERE id > 900000000", limit: 5000);
        var ids = stored.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToHashSet();
        var missing = acked.Where(id => !ids.Contains(id)).Order().ToList();
        var events = await _pipelines.QueryOneAsync(path, "SELECT count(*) AS n, count(DISTINCT resource_id) AS d, sum(CASE WHEN applied THEN 0 ELSE 1 END) AS pending FROM yclients_webhook_events");
        Assert.True(missing.Count == 0, $"{missing.Count} of {acked.Count} answered events not in records (events table: {events}), first {string.Join(", ", missing.Take(10))}\n{ServeProcesses.Text(_serverLog)}");
        Assert.Equal(events.GetProperty("n").GetInt64(), events.GetProperty("d").GetInt64());
        Assert.Equal(0, events.GetProperty("pending").GetInt64());
    }

    [Fact]
    public async Task PostgresStoppedMidBurst_EveryAnsweredEventIsAppliedOnce()
    {
        // A cluster of its own: stopping the suite's shared server would cut the other classes' connections.
        var (connection, data) = await OwnPostgresAsync();
        var schema = "hooks_" + Guid.NewGuid().ToString("N")[..8];
        var path = _pipelines.WriteTo("pghooks", _pipelines.TokenConfig(), "[records, record_services]", $"{{type: postgres, connection: \"{connection}\", schema: {schema}}}");
        var secret = await SecretAsync(path);
        var template = await RecordJsonAsync(_server.Data.Records(_pipelines.CompanyId)[0].Id);
        var listen = ServeProcesses.FreePort();
        var baseUrl = $"http://127.0.0.1:{listen}";
        string? firstBody = null;
        using (var serve = Start(path, listen))
        {
            await ServeProcesses.WaitListeningAsync(serve, listen, _serverLog);
            var acked = new System.Collections.Concurrent.ConcurrentBag<long>();
            var next = 0L;
            var stopped = 0;
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var workers = Enumerable.Range(0, 16).Select(async _ =>
            {
                long id;
                while ((id = Interlocked.Increment(ref next)) <= 2000)
                {
                    var record = template.DeepClone();
                    record["id"] = 800_000_000 + id;
                    var body = new JsonObject { ["company_id"] = _pipelines.CompanyId, ["resource"] = "record", ["resource_id"] = 800_000_000 + id, ["status"] = "create", ["data"] = record }.ToJsonString();
                    if (id == 1)
                    {
                        firstBody = body;
                    }

                    using var response = await client.PostAsync($"{baseUrl}/hooks/pghooks/{secret}", new StringContent(body, Encoding.UTF8, "application/json"));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acked.Add(800_000_000 + id);
                    }

                    if (id == 400 && Interlocked.Exchange(ref stopped, 1) == 0)
                    {
                        await PgCtlAsync(data, "-m", "fast", "-w", "stop");
                    }

                    if (id == 1200)
                    {
                        await PgCtlAsync(data, "-l", Path.Combine(Path.GetDirectoryName(data)!, "server.log"), "-w", "start");
                    }
                }
            }).ToList();
            await Task.WhenAll(workers);
            Assert.Equal(2000, acked.Count);

            // Give the receiver time to find the server back and replay its spool, then stop it.
            for (var i = 0; i < 100 && File.Exists(SpoolPath()) && new FileInfo(SpoolPath()).Length > 0; i++)
            {
                await Task.Delay(200);
            }

            await ServeProcesses.StopAsync(serve);
        }

        var records = await _pipelines.QueryOneAsync(path, "SELECT count(*) AS n, count(DISTINCT id) AS d FROM records WHERE id > 800000000");
        Assert.True(records.GetProperty("n").GetInt64() == 2000, $"{records}\n{_serverLog}");
        var events = await _pipelines.QueryOneAsync(path, "SELECT count(*) AS n, sum(CASE WHEN applied THEN 0 ELSE 1 END) AS pending FROM yclients_webhook_events");
        Assert.Equal(2000, events.GetProperty("n").GetInt64());
        Assert.Equal(0, events.GetProperty("pending").GetInt64());

        // The body is kept as it came, byte for byte (json, not jsonb), through the spool and the applier's update.
        var first = await _pipelines.QueryOneAsync(path, "SELECT payload::text AS body FROM yclients_webhook_events WHERE resource_id = '800000001'");
        Assert.Equal(firstBody, first.GetProperty("body").GetString());
    }

    /// <summary>Starts a throwaway PostgreSQL on a free port with the suite's own script; stopped on dispose.</summary>
    private async Task<(string Connection, string Data)> OwnPostgresAsync()
    {
        var root = typeof(WebhookServeTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        var script = Path.Combine(root, ".ci", "postgres.sh");
        for (var attempt = 1; ; attempt++)
        {
            var port = ServeProcesses.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var dir = Path.Combine(Path.GetTempPath(), "mybi-postgres-hooks-" + Guid.NewGuid().ToString("N")[..8]);
            _stop.Add(async () =>
            {
                // The script's stop also removes the throwaway cluster's folder.
                await RunScriptAsync(script, port, dir, "stop");
            });
            var (exitCode, output, error) = await TryRunScriptAsync(script, port, dir, "start");

            // The free port is only known free when it is picked: another process may take it before the server
            // binds it (the loopback clients of other tests use the same range), and then another port is tried.
            if (exitCode != 0 && attempt < 3 && error.Contains("Address already in use", StringComparison.Ordinal))
            {
                continue;
            }

            Assert.True(exitCode == 0, $".ci/postgres.sh start: {error}");
            var line = output.Split('\n').Single(l => l.StartsWith("export MYBI_TEST_POSTGRES=", StringComparison.Ordinal));
            return (line["export MYBI_TEST_POSTGRES=".Length..].Trim('"'), Path.Combine(dir, "data"));
        }
    }

    private static async Task<string> RunScriptAsync(string script, string port, string dir, string verb)
    {
        var (exitCode, output, error) = await TryRunScriptAsync(script, port, dir, verb);
        Assert.True(exitCode == 0, $".ci/postgres.sh {verb}: {error}");
        return output;
    }

    private static async Task<(int ExitCode, string Output, string Error)> TryRunScriptAsync(string script, string port, string dir, string verb)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(verb);
        info.Environment["MYBI_PG_PORT"] = port;
        info.Environment["MYBI_PG_DIR"] = dir;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private string SpoolPath() => Path.Combine(_folder, ".mybi", "spool", "pghooks.spool");

    private static async Task PgCtlAsync(string data, params string[] args)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Order().Last();
        // As .ci/postgres.sh does: PostgreSQL refuses to run as root, so root runs it as the cluster's owner.
        var asRoot = Environment.UserName == "root";
        var info = new ProcessStartInfo(asRoot ? "runuser" : Path.Combine(bin, "bin", "pg_ctl")) { RedirectStandardOutput = true, RedirectStandardError = true };
        var prefix = asRoot ? new[] { "-u", "postgres", "--", Path.Combine(bin, "bin", "pg_ctl") } : [];
        foreach (var arg in prefix.Concat(["-D", data]).Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
    }

    private async Task<JsonNode> RecordJsonAsync(long recordId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_server.BaseUrl}/record/{_pipelines.CompanyId}/{recordId}");
        request.Headers.TryAddWithoutValidation("Authorization", SandboxCredentials.UserHeader());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.yclients.v2+json"));
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!.DeepClone();
    }

    private async Task<HttpResponseMessage> PostAsync(string url, string body) =>
        await _http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>The body of an update event of a record of the pipeline's company.</summary>
    private string RecordEvent(long recordId, JsonNode data) => new JsonObject
    {
        ["company_id"] = _pipelines.CompanyId,
        ["resource"] = "record",
        ["resource_id"] = recordId,
        ["status"] = "update",
        ["data"] = data,
    }.ToJsonString();

    /// <summary>The pipeline's webhook secret, made by `mybi hooks url` (the last part of the URL it prints).</summary>
    private async Task<string> SecretAsync(string path)
    {
        var url = await CliProcess.RunAsync(_folder, null, "hooks", "url", path);
        Assert.True(url.ExitCode == 0, url.ToString());
        return url.Stdout.Trim().Split('/')[^1];
    }

    private Process Start(string path, int port) => ServeProcesses.Start(_folder, _serverLog, path, "--listen", $"127.0.0.1:{port}");
}
