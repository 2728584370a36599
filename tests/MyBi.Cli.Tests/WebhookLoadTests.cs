using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;
using Npgsql;

namespace MyBi.Cli.Tests;

/// <summary>
/// `mybi serve` under hostile and heavy traffic, and the applier's rules: slow clients, a thousand connections at
/// once, <c>[]</c> where objects belong, a missing <c>data</c>, source.filters, deletes, and a ClickHouse destination.
/// </summary>
public sealed class WebhookLoadTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-hookload-").FullName;
    private readonly TestWarehouses _warehouses = new("hooks_");
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    private long Company => _pipelines.CompanyId;

    public async Task InitializeAsync()
    {
        _server = await TestSandboxes.StartAsync(seed: 9, clients: 20, daysBack: 5, daysForward: 2, staff: 3);
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        await _warehouses.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task SlowClientsAndAThousandConnections_SlowOnesAreCutOff_EveryOtherIsAnsweredAndStoredOnce()
    {
        var path = _pipelines.Write("load", _pipelines.TokenConfig(), "[records, record_services]");
        var template = await ServeHarness.RecordJsonAsync(_server, Company, _server.Data.Records(Company)[0].Id);
        await using var serve = await ServeHarness.StartAsync(_folder, path, "load");

        // Three clients announce a body and trickle it a byte every half second, far below Kestrel's minimum rate.
        var slow = Enumerable.Range(0, 3).Select(_ => TrickleAsync(serve)).ToList();

        // A thousand requests at once, each on its own connection, while the slow ones hang on.
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { Timeout = TimeSpan.FromMinutes(3) };
        var statuses = await Task.WhenAll(Enumerable.Range(1, 1000).Select(async i =>
        {
            var data = (JsonObject)template.DeepClone();
            data["id"] = 600_000_000 + i;
            return await serve.PostAsync(http, ServeHarness.Event(Company, "record", 600_000_000 + i, "create", data));
        }));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));

        var endings = await Task.WhenAll(slow);
        Assert.All(endings, e => Assert.DoesNotContain("200 OK", e, StringComparison.Ordinal));
        await serve.StopAsync();

        var events = await _pipelines.QueryOneAsync(path, "SELECT count(*) AS n, count(DISTINCT resource_id) AS d, sum(CASE WHEN applied THEN 0 ELSE 1 END) AS pending FROM yclients_webhook_events");
        Assert.Equal(1000, events.GetProperty("n").GetInt64());
        Assert.Equal(1000, events.GetProperty("d").GetInt64());
        Assert.True(events.GetProperty("pending").GetInt64() == 0, serve.Log);
        var records = await _pipelines.QueryOneAsync(path, "SELECT count(*) AS n, count(DISTINCT id) AS d FROM records WHERE id > 600000000");
        Assert.Equal(1000, records.GetProperty("n").GetInt64());
        Assert.Equal(1000, records.GetProperty("d").GetInt64());
    }

    [Fact]
    public async Task EmptyArraysMissingDataFiltersAndDeletes_AreAppliedAsAPullWould()
    {
        var record = _server.Data.Records(Company).First(r => !r.Deleted);
        var other = _server.Data.Records(Company).First(r => !r.Deleted && r.StaffId != record.StaffId);
        var filters = $"{{records: {{staff_id: {record.StaffId}}}}}";
        var path = _pipelines.WriteWith("shapes", _pipelines.TokenConfig(), "[records, record_services, clients]", filters);
        var kept = await ServeHarness.RecordJsonAsync(_server, Company, record.Id);
        var dropped = await ServeHarness.RecordJsonAsync(_server, Company, other.Id);
        var clients = _server.Data.Clients(Company);
        var removedClient = await ServeHarness.ClientJsonAsync(_server, Company, clients[0].Id);
        var keptClient = await ServeHarness.ClientJsonAsync(_server, Company, clients[1].Id);
        var serve = await ServeHarness.StartAsync(_folder, path, "shapes");
        using var http = new HttpClient();

        // `[]` for an empty object inside the record, as the API sends it: the record is still applied.
        kept["client"] = new JsonArray();
        Assert.Equal(HttpStatusCode.OK, await serve.PostAsync(http, ServeHarness.Event(Company, "record", record.Id, "update", kept)));
        Assert.Equal(HttpStatusCode.OK, await serve.PostAsync(http, ServeHarness.Event(Company, "record", other.Id, "update", dropped)));
        Assert.Equal(HttpStatusCode.BadRequest, await serve.PostAsync(http, "[]"));
        Assert.Equal(HttpStatusCode.BadRequest, await serve.PostAsync(http, ServeHarness.Event(Company, "record", record.Id, "update", null)));

        Assert.Equal(HttpStatusCode.OK, await serve.PostAsync(http, ServeHarness.Event(Company, "client", clients[0].Id, "create", removedClient)));
        Assert.Equal(HttpStatusCode.OK, await serve.PostAsync(http, ServeHarness.Event(Company, "client", clients[1].Id, "create", keptClient)));
        await serve.StopAsync();
        await serve.DisposeAsync();
        Assert.Equal(2, (await _pipelines.QueryOneAsync(path, "SELECT count(*) AS n FROM clients")).GetProperty("n").GetInt64());

        // The delete comes once the client is stored; it carries no object, as YCLIENTS may send it.
        await using var again = await ServeHarness.StartAsync(_folder, path, "shapes");
        Assert.Equal(HttpStatusCode.OK, await again.PostAsync(http, ServeHarness.Event(Company, "client", clients[0].Id, "delete", null)));
        await again.StopAsync();

        // A state changed before the delete that arrives after it (a delivery retried late, here after a restart) is
        // older than the delete: the row stays gone, though no stored row is left to compare it with. A state changed
        // after the delete (the client made again) is newer than it and is stored.
        var older = removedClient.DeepClone();
        older["comment"] = "delivered again after the delete";
        Assert.Equal(HttpStatusCode.OK, await PostOnceAsync(path, http, ServeHarness.Event(Company, "client", clients[0].Id, "update", older)));
        var late = await _pipelines.QueryOneAsync(path, $"SELECT note FROM yclients_webhook_events WHERE resource = 'client' AND status = 'update' AND resource_id = '{clients[0].Id}'");
        Assert.Equal("older than the delete of the same object", late.GetProperty("note").GetString());
        Assert.Equal(0, (await _pipelines.QueryOneAsync(path, $"SELECT count(*) AS n FROM clients WHERE id = {clients[0].Id}")).GetProperty("n").GetInt64());

        var newer = removedClient.DeepClone();
        newer["last_change_date"] = TestClock.Now.AddDays(1).ToOffset(TimeSpan.FromHours(3)).ToString("yyyy-MM-dd'T'HH:mm:ss'+0300'", CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.OK, await PostOnceAsync(path, http, ServeHarness.Event(Company, "client", clients[0].Id, "update", newer)));
        Assert.Equal(1, (await _pipelines.QueryOneAsync(path, $"SELECT count(*) AS n FROM clients WHERE id = {clients[0].Id}")).GetProperty("n").GetInt64());

        var records = await _pipelines.QueryAsync(path, "SELECT id, client_id FROM records ORDER BY id");
        Assert.Equal([record.Id], records.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, records[0].GetProperty("client_id").ValueKind);
        var services = await _pipelines.QueryOneAsync(path, $"SELECT count(*) AS n FROM record_services WHERE record_id = {other.Id}");
        Assert.Equal(0, services.GetProperty("n").GetInt64());
        var note = await _pipelines.QueryOneAsync(path, $"SELECT note FROM yclients_webhook_events WHERE resource = 'record' AND resource_id = '{other.Id}'");
        Assert.Contains("source.filters.records", note.GetProperty("note").GetString(), StringComparison.Ordinal);

        var stored = await _pipelines.QueryAsync(path, "SELECT id FROM clients ORDER BY id");
        Assert.Equal(new[] { clients[0].Id, clients[1].Id }.Order(), stored.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        var deleted = await _pipelines.QueryOneAsync(path, "SELECT note FROM yclients_webhook_events WHERE resource = 'client' AND status = 'delete'");
        Assert.Contains("1 row(s) removed from clients", deleted.GetProperty("note").GetString(), StringComparison.Ordinal);

        var quarantine = await _pipelines.QueryAsync(path, "SELECT error FROM _mybi_quarantine WHERE source = 'webhooks' ORDER BY error");
        Assert.Equal(2, quarantine.GetArrayLength());
        Assert.Contains("no 'data'", quarantine[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("not a JSON object", quarantine[1].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClickHouse_EventsAreAppliedOnceAndAnOlderStateNeverOverwritesANewerOne()
    {
        var path = _pipelines.WriteTo("chhooks", _pipelines.TokenConfig(), "[records, record_services]", _warehouses.ClickHouse());
        var record = _server.Data.Records(Company).First(r => !r.Deleted && r.Services.Count > 0);
        var older = await ServeHarness.RecordJsonAsync(_server, Company, record.Id);
        var newer = (JsonObject)older.DeepClone();
        newer["attendance"] = record.Attendance == 1 ? -1 : 1;
        newer["last_change_date"] = record.LastChangeDate.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture).Remove(22, 1);
        older["last_change_date"] = record.LastChangeDate.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture).Remove(22, 1);
        await using var serve = await ServeHarness.StartAsync(_folder, path, "chhooks");
        using var http = new HttpClient();

        // The newer state twice (a repeated delivery), then the older one late.
        var newerBody = ServeHarness.Event(Company, "record", record.Id, "update", newer);
        Assert.Equal(HttpStatusCode.OK, await serve.PostAsync(http, newerBody));
        Assert.Equal(HttpStatusCode.OK, await serve.PostAsync(http, newerBody));
        Assert.Equal(HttpStatusCode.OK, await serve.PostAsync(http, ServeHarness.Event(Company, "record", record.Id, "update", older)));
        await serve.StopAsync();

        var events = await _pipelines.QueryOneAsync(path, "SELECT count(*) AS n, sum(CASE WHEN applied THEN 0 ELSE 1 END) AS pending FROM yclients_webhook_events");
        Assert.True(events.GetProperty("n").GetInt64() == 2, events + serve.Log);
        Assert.Equal(0, events.GetProperty("pending").GetInt64());
        var row = await _pipelines.QueryOneAsync(path, $"SELECT count(*) AS n, max(attendance) AS attendance FROM records WHERE id = {record.Id}");
        Assert.Equal(1, row.GetProperty("n").GetInt64());
        Assert.Equal(newer["attendance"]!.GetValue<int>(), row.GetProperty("attendance").GetInt64());
        var services = await _pipelines.QueryOneAsync(path, $"SELECT count(*) AS n FROM record_services WHERE record_id = {record.Id}");
        Assert.Equal(record.Services.Select(s => s.ServiceId).Distinct().Count(), services.GetProperty("n").GetInt64());
    }

    [Fact]
    public async Task ClickHouse_EventWhoseRowsTheWarehouseRefuses_IsSetAside_TheOthersAreApplied()
    {
        // A record of 1850 has a local day that ClickHouse's Date32 cannot hold: the warehouse refused the whole
        // apply batch at every attempt, so no event after it was applied.
        var path = _pipelines.WriteTo("chrefused", _pipelines.TokenConfig(), "[records, record_services]", _warehouses.ClickHouse());
        var records = _server.Data.Records(Company).Where(r => !r.Deleted && r.Services.Count > 0).Take(3).ToList();
        await using var serve = await ServeHarness.StartAsync(_folder, path, "chrefused");
        using var http = new HttpClient();
        await PostUpdatesAsync(serve, http, records, records[1], data =>
        {
            data["datetime"] = "1850-06-01T10:00:00+03:00";
            data["date"] = "1850-06-01 10:00:00";
        });
        await serve.StopAsync();

        await AssertOnlyRefusedSetAsideAsync(path, serve, records, records[1], "1850-06-01 is outside the dates ClickHouse's Date32 holds");
        // Every row of the event that the warehouse cannot hold (the record and its service lines, each with the
        // local day), with the reason; nothing of the other events.
        var quarantine = await _pipelines.QueryAsync(path, "SELECT row_key, error FROM _mybi_quarantine WHERE source = 'webhooks'");
        Assert.True(quarantine.GetArrayLength() >= 1, quarantine.ToString());
        Assert.All(quarantine.EnumerateArray(), q =>
        {
            Assert.StartsWith("the warehouse refused its rows: ", q.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Contains("1850-06-01 is outside the dates ClickHouse's Date32 holds", q.GetProperty("error").GetString(), StringComparison.Ordinal);
        });
        Assert.Single(quarantine.EnumerateArray().Select(q => q.GetProperty("row_key").GetString()!.Split(' ')[0]).Distinct());
    }

    [Fact]
    public async Task ClickHouse_LoneEventTheWarehouseCannotHold_IsSetAsideAtOnce_NothingOfItWritten()
    {
        // Alone in its apply batch, such an event used to look like a warehouse that refuses everything: it waited,
        // tried again every second, until another event came to share its batch. The warehouse's own check of its
        // values now refuses it before anything is written.
        var path = _pipelines.WriteTo("chlone", _pipelines.TokenConfig(), "[records, record_services]", _warehouses.ClickHouse());
        var record = _server.Data.Records(Company).First(r => !r.Deleted && r.Services.Count > 0);
        var data = await ServeHarness.RecordJsonAsync(_server, Company, record.Id);
        data["datetime"] = "2300-01-02T10:00:00+03:00";
        data["date"] = "2300-01-02 10:00:00";
        await using var serve = await ServeHarness.StartAsync(_folder, path, "chlone");
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, await serve.PostAsync(http, ServeHarness.Event(Company, "record", record.Id, "update", data)));
        await serve.StopAsync();

        var events = await _pipelines.QueryAsync(path, "SELECT applied, note FROM yclients_webhook_events");
        Assert.True(events.GetArrayLength() == 1 && events[0].GetProperty("applied").GetBoolean(), events + serve.Log);
        // The first of its rows refused names the event: a service line, which comes before its record.
        var note = events[0].GetProperty("note").GetString();
        Assert.StartsWith("not applied: the warehouse refused its rows: table 'record_services', row ", note, StringComparison.Ordinal);
        Assert.Contains(record.Id.ToString(CultureInfo.InvariantCulture), note, StringComparison.Ordinal);
        Assert.EndsWith(": the value of 'date_local', 2300-01-02 is outside the dates ClickHouse's Date32 holds (1900-01-01 to 2299-12-31)", note, StringComparison.Ordinal);
        Assert.Equal(0, (await _pipelines.QueryOneAsync(path, "SELECT count(*) AS n FROM records")).GetProperty("n").GetInt64());
        Assert.Equal(0, (await _pipelines.QueryOneAsync(path, "SELECT count(*) AS n FROM record_services")).GetProperty("n").GetInt64());
        Assert.DoesNotContain("2300-01-02 is outside", serve.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_EventTheServerRefuses_IsIsolatedBySplitting_TheOthersAreApplied()
    {
        // A refusal only the server knows of (here a CHECK constraint the owner added to the table): the batch is
        // split until the refused event is alone, which is set aside with the server's reason.
        var path = _pipelines.WriteTo("pgrefused", _pipelines.TokenConfig(), "[records]", _warehouses.Postgres());
        var records = _server.Data.Records(Company).Where(r => !r.Deleted).Take(4).ToList();
        await using var serve = await ServeHarness.StartAsync(_folder, path, "pgrefused");
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, await serve.PostAsync(http, ServeHarness.Event(Company, "record", records[0].Id, "update", await ServeHarness.RecordJsonAsync(_server, Company, records[0].Id))));
        await WaitAppliedAsync(path, 1);
        await using (var connection = new NpgsqlConnection(TestWarehouses.Required("MYBI_TEST_POSTGRES", "postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"ALTER TABLE \"{_warehouses.Unique}\".records ADD CONSTRAINT owner_rule CHECK (comment IS DISTINCT FROM 'refuse me')", connection);
            await command.ExecuteNonQueryAsync();
        }

        await PostUpdatesAsync(serve, http, records.Skip(1), records[2], data => data["comment"] = "refuse me");
        await serve.StopAsync();

        await AssertOnlyRefusedSetAsideAsync(path, serve, records, records[2], "owner_rule");
    }

    /// <summary>Posts an update event of each record, the one to be refused spoiled first.</summary>
    private async Task PostUpdatesAsync(ServeHarness serve, HttpClient http, IEnumerable<SandboxRecord> records, SandboxRecord refused, Action<JsonObject> spoil)
    {
        foreach (var record in records)
        {
            var data = await ServeHarness.RecordJsonAsync(_server, Company, record.Id);
            if (record == refused)
            {
                spoil(data);
            }

            Assert.Equal(HttpStatusCode.OK, await serve.PostAsync(http, ServeHarness.Event(Company, "record", record.Id, "update", data)));
        }
    }

    /// <summary>
    /// Every event was processed; the refused one is marked with the warehouse's reason, and only the other records
    /// are stored.
    /// </summary>
    private async Task AssertOnlyRefusedSetAsideAsync(string path, ServeHarness serve, IReadOnlyList<SandboxRecord> records, SandboxRecord refused, string reason)
    {
        var events = await _pipelines.QueryAsync(path, "SELECT resource_id, applied, note FROM yclients_webhook_events ORDER BY resource_id");
        Assert.True(events.GetArrayLength() == records.Count, events + serve.Log);
        Assert.All(events.EnumerateArray(), e => Assert.True(e.GetProperty("applied").GetBoolean(), events + serve.Log));
        var id = refused.Id.ToString(CultureInfo.InvariantCulture);
        var note = events.EnumerateArray().Single(e => e.GetProperty("resource_id").GetString() == id).GetProperty("note").GetString();
        Assert.StartsWith("not applied: the warehouse refused its rows: ", note, StringComparison.Ordinal);
        Assert.Contains(reason, note, StringComparison.Ordinal);
        var stored = await _pipelines.QueryAsync(path, "SELECT DISTINCT id FROM records ORDER BY id");
        Assert.Equal(records.Where(r => r != refused).Select(r => r.Id).Order(), stored.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> events are applied.</summary>
    private async Task WaitAppliedAsync(string path, int count)
    {
        for (var i = 0; i < 600; i++)
        {
            var applied = await _pipelines.QueryOneAsync(path, "SELECT count(*) AS n FROM yclients_webhook_events WHERE applied");
            if (applied.GetProperty("n").GetInt64() >= count)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{count} event(s) were not applied within a minute.");
    }

    /// <summary>
    /// Sends the head of a request and then one byte of the body every half second; returns what the server
    /// answered when it cut the connection (empty when it just closed it).
    /// </summary>
    private static async Task<string> TrickleAsync(ServeHarness serve)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, serve.Port);
        var stream = client.GetStream();
        var head = $"POST /hooks/{serve.Pipeline}/{serve.Secret} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{{";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var answer = new byte[1024];
        var reading = stream.ReadAsync(answer).AsTask();

        // Bounded: at most a minute of trickling; Kestrel's minimum body rate cuts the client after about five seconds.
        for (var i = 0; i < 120 && !reading.IsCompleted; i++)
        {
            try
            {
                await stream.WriteAsync(" "u8.ToArray());
            }
            catch (IOException)
            {
                break;
            }

            await Task.WhenAny(reading, Task.Delay(500));
        }

        Assert.True(reading.IsCompleted || await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(30))) == reading, "the server never cut the slow client");
        try
        {
            return Encoding.ASCII.GetString(answer, 0, await reading);
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Starts the server, posts one event, and stops it once the event is applied.</summary>
    private async Task<HttpStatusCode> PostOnceAsync(string path, HttpClient http, string body)
    {
        await using var serve = await ServeHarness.StartAsync(_folder, path, "shapes");
        var status = await serve.PostAsync(http, body);
        await serve.StopAsync();
        return status;
    }
}
