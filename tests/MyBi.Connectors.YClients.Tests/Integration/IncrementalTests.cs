using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Tests.Support;
using MyBi.Testing;

namespace MyBi.Connectors.YClients.Tests.Integration;

public sealed class IncrementalTests
{
    [Fact]
    public async Task ReadAsync_FirstRunWithoutStateOrPeriod_LoadsTheLastTwoDays()
    {
        await using var server = await SandboxHarness.StartAsync();
        var clock = new FakeTimeProvider(TestClock.Now);

        var result = await SandboxHarness.ReadAsync(SandboxHarness.Config(server), SandboxHarness.Request(["records", "finance_transactions"]), clock);

        foreach (var company in server.Data.AccessibleCompanies)
        {
            // The last two days are the company's own: its date may already differ from the UTC one.
            var today = TestClock.TodayAt(company.UtcOffset);
            var expected = server.Data.RecordsBetween(company.Id, today.AddDays(-1), today, includeDeleted: true);
            Assert.Equal(expected.Select(r => r.Id).Order(), result.Rows("records", company.Id).Select(r => ReadResult.Id(r)).Order());
            var finance = server.Data.FinanceTransactions(company.Id)
                .Where(t => DateOnly.FromDateTime(t.Date.DateTime) >= today.AddDays(-1) && DateOnly.FromDateTime(t.Date.DateTime) <= today);
            Assert.Equal(finance.Select(t => t.Id).Order(), result.Rows("finance_transactions", company.Id).Select(r => ReadResult.Id(r)).Order());
        }

        var state = result.LastState!;
        foreach (var company in server.Data.AccessibleCompanies)
        {
            Assert.NotNull(state["companies"]![company.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]!["records"]!["cursor"]);
        }
    }

    [Fact]
    public async Task ReadAsync_KilledAfterTheFirstCheckpoint_NextRunLoadsTheRestWithoutGaps()
    {
        await using var server = await SandboxHarness.StartAsync();
        var clock = new FakeTimeProvider(TestClock.Now);
        var config = SandboxHarness.Config(server);
        var first = server.Data.AccessibleCompanies[0];
        var second = server.Data.AccessibleCompanies[1];
        JsonObject? committed = null;
        var connector = SandboxHarness.Connector();
        await using (var session = await connector.ConnectAsync(new MyBi.Abstractions.Connectors.SourceContext { Config = config, TimeProvider = clock }))
        {
            await foreach (var message in session.ReadAsync(SandboxHarness.Request(["records"])))
            {
                if (message is MyBi.Abstractions.Streams.SourceCheckpoint checkpoint)
                {
                    committed = checkpoint.State;
                    break;
                }
            }
        }

        Assert.NotNull(committed!["companies"]![first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Null(committed["companies"]![second.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        var resumed = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["records"], state: committed), clock);

        var today = TestClock.TodayAt(second.UtcOffset);
        var expected = server.Data.RecordsBetween(second.Id, today.AddDays(-1), today, includeDeleted: true).Select(r => r.Id).Order();
        Assert.Equal(expected, resumed.Rows("records", second.Id).Select(r => ReadResult.Id(r)).Order());
        Assert.NotNull(resumed.LastState!["companies"]![second.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]!["records"]);
    }

    [Fact]
    public async Task ReadAsync_ResumedFromCheckpoint_PicksUpADeletedRecordWithItsLines()
    {
        await using var server = await SandboxHarness.StartAsync();
        var company = server.Data.AccessibleCompanies[0];
        var from = server.Data.Today.AddDays(-10);
        var to = server.Data.Today.AddDays(3);
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("company_ids");
            c["company_id"] = company.Id;
        });
        string[] streams = ["records", "record_services", "visits"];
        var first = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(streams, from, to));
        var victim = server.Data.RecordsBetween(company.Id, from, from.AddDays(1)).First(r => !r.Deleted && r.Services.Count > 0);
        var changed = server.Data.RecordsBetween(company.Id, from.AddDays(2), from.AddDays(3)).First(r => !r.Deleted && r.Id != victim.Id);
        var newAttendance = changed.Attendance == -1 ? 1 : -1;
        server.Data.DeleteRecord(company.Id, victim.Id);
        server.Data.ChangeAttendance(company.Id, changed.Id, newAttendance);
        server.Stats.Reset();

        var second = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(streams, state: first.LastState));

        var deleted = Assert.Single(second.Rows("records"), r => ReadResult.Id(r) == victim.Id);
        Assert.True(Lenient.Bool(deleted["deleted"]));
        var lines = second.Rows("record_services").Where(l => ReadResult.Id(l, "record_id") == victim.Id).ToList();
        Assert.Equal(victim.Services.Select(s => s.ServiceId).Distinct().Count(), lines.Count);
        Assert.All(lines, l => Assert.True(Lenient.Bool(l["deleted"])));
        var updated = Assert.Single(second.Rows("records"), r => ReadResult.Id(r) == changed.Id);
        Assert.Equal(newAttendance, Lenient.Long(updated["attendance"]));
        Assert.Contains(second.Rows("visits"), v => ReadResult.Id(v, "visit_id") == changed.VisitId && Lenient.Long(v["attendance"]) == newAttendance);
        // Incremental: only recently changed records come back, not the whole history.
        Assert.True(second.Rows("records").Count < first.Rows("records").Count);
        Assert.True(server.Stats.RequestsFor("/records/{company_id}") >= 1);
    }

    [Fact]
    public async Task ReadAsync_Always_CheckpointsAfterEachCompanyOfEachStream()
    {
        await using var server = await SandboxHarness.StartAsync();
        var day = server.Data.Today;

        var result = await SandboxHarness.ReadAsync(SandboxHarness.Config(server), SandboxHarness.Request(["records", "record_services", "clients", "staff"], day, day));

        var companies = server.Data.AccessibleCompanies.Count;
        Assert.Equal(3 * companies, result.Checkpoints.Count);
        var last = result.Messages[^1];
        Assert.IsType<MyBi.Abstractions.Streams.SourceCheckpoint>(last);
        var state = result.LastState!["companies"]!.AsObject();
        Assert.Equal(companies, state.Count);
        Assert.All(state, c =>
        {
            Assert.NotNull(c.Value!["records"]);
            Assert.NotNull(c.Value!["record_services"]);
            Assert.NotNull(c.Value!["clients"]);
            Assert.Null(c.Value!["staff"]);
        });
    }

    [Fact]
    public async Task ReadAsync_ClientsIncremental_ReturnsOnlyChangedClients()
    {
        await using var server = await SandboxHarness.StartAsync();
        var company = server.Data.AccessibleCompanies[0];
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("company_ids");
            c["company_id"] = company.Id;
            c["lookback_days"] = 0;
        });
        var first = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["clients"]));
        var client = server.Data.Clients(company.Id)[5];
        server.Data.ChangeClientComment(company.Id, client.Id, "Новый комментарий");

        var second = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["clients"], state: first.LastState));

        Assert.Equal(server.Data.Clients(company.Id).Count, first.Rows("clients").Count);
        var row = Assert.Single(second.Rows("clients"), r => ReadResult.Id(r) == client.Id);
        Assert.Equal("Новый комментарий", row["comment"]!.GetValue<string>());
        Assert.True(second.Rows("clients").Count < first.Rows("clients").Count);
    }

    [Fact]
    public async Task ReadAsync_ForeignState_ConfigError()
    {
        await using var server = await SandboxHarness.StartAsync();

        var error = await Assert.ThrowsAsync<MyBi.Abstractions.Errors.MyBiException>(() =>
            SandboxHarness.ReadAsync(SandboxHarness.Config(server), SandboxHarness.Request(["records"], state: new JsonObject { ["offset"] = 5 })));

        Assert.Equal(MyBi.Abstractions.Errors.FailureKind.Config, error.Kind);
    }
}
