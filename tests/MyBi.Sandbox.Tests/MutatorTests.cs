using System.Net;
using Microsoft.Extensions.Time.Testing;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

public sealed class MutatorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(SandboxFixture.Noon);
    private SandboxServer _server = null!;
    private ApiClient _api = null!;

    private long CompanyId => _server.Data.AccessibleCompanies[0].Id;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(SandboxFixture.Options(_time));
        _api = new ApiClient(_server);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task DeleteRecord_ThenChangedAfter_ReturnsItOnlyWithDeleted()
    {
        var record = _server.Data.Records(CompanyId).First(r => !r.Deleted && r.Attendance == 1);
        _time.Advance(TimeSpan.FromMinutes(30));

        var deleted = _server.Data.DeleteRecord(CompanyId, record.Id);

        Assert.True(deleted.Deleted);
        Assert.Equal(new DateTimeOffset(SandboxFixture.Today.ToDateTime(new TimeOnly(15, 30)), TimeSpan.FromHours(3)), deleted.LastChangeDate);
        var withDeleted = await _api.GetAsync($"records/{CompanyId}?changed_after={SandboxFixture.Iso(0)}T15:00:00%2B0300&with_deleted=1");
        var withoutDeleted = await _api.GetAsync($"records/{CompanyId}?changed_after={SandboxFixture.Iso(0)}T15:00:00%2B0300");
        var single = Assert.Single(withDeleted.Data.EnumerateArray());
        Assert.Equal(record.Id, single.GetProperty("id").GetInt64());
        Assert.True(single.GetProperty("deleted").GetBoolean());
        Assert.Equal($"{SandboxFixture.Iso(0)}T15:30:00+0300", single.GetProperty("last_change_date").GetString());
        Assert.Equal(0, withoutDeleted.Data.GetArrayLength());
    }

    [Fact]
    public async Task ChangeAttendance_UpdatesRecordAndVisit()
    {
        var record = _server.Data.Records(CompanyId).First(r => !r.Deleted && r.Attendance == 0);

        var changed = _server.Data.ChangeAttendance(CompanyId, record.Id, 2);

        Assert.True(changed.LastChangeDate > record.LastChangeDate);
        var response = await _api.GetAsync($"record/{CompanyId}/{record.Id}");
        Assert.Equal(2, response.Data.GetProperty("attendance").GetInt32());
        var visit = await _api.GetAsync($"visits/{record.VisitId}");
        Assert.Equal(2, visit.Data.GetProperty("attendance").GetInt32());
    }

    [Fact]
    public void ChangeAttendance_FrozenClock_StillBumpsLastChangeDate()
    {
        var record = _server.Data.Records(CompanyId).First(r => !r.Deleted);

        var first = _server.Data.ChangeAttendance(CompanyId, record.Id, 1);
        var second = _server.Data.ChangeAttendance(CompanyId, record.Id, -1);

        Assert.True(second.LastChangeDate > first.LastChangeDate);
    }

    [Fact]
    public async Task ChangeServiceCostSilently_PeriodReadSeesItChangedAfterDoesNot()
    {
        var record = _server.Data.Records(CompanyId).First(r => !r.Deleted && r.Day < SandboxFixture.Today && r.Services.Count > 0);
        var line = record.Services[0];
        var cost = line.Cost + 1234.5m;

        var changed = _server.Data.ChangeServiceCostSilently(CompanyId, record.Id, line.ServiceId, cost);

        Assert.Equal(record.LastChangeDate, changed.LastChangeDate);
        var day = record.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var period = await _api.GetAsync($"records/{CompanyId}?start_date={day}&end_date={day}&count=300&with_deleted=1");
        var read = period.Data.EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == record.Id);
        var service = read.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("id").GetInt64() == line.ServiceId);
        Assert.Equal(cost, service.GetProperty("cost").GetDecimal());
        var since = record.LastChangeDate.AddSeconds(1);
        var stamp = since.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + since.ToString("zzz", System.Globalization.CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal);
        var feed = await _api.GetAsync($"records/{CompanyId}?changed_after={Uri.EscapeDataString(stamp)}&with_deleted=1&count=300");
        Assert.DoesNotContain(feed.Data.EnumerateArray(), r => r.GetProperty("id").GetInt64() == record.Id);
        Assert.Throws<ArgumentException>(() => _server.Data.ChangeServiceCostSilently(CompanyId, record.Id, -5, 1m));
    }

    [Fact]
    public async Task AddRecord_AppearsOverHttpWithDiscountedCost()
    {
        var staff = _server.Data.Staff(CompanyId)[0];
        var client = _server.Data.Clients(CompanyId)[0];

        var added = _server.Data.AddRecord(CompanyId, new SandboxNewRecord
        {
            StaffId = staff.Id,
            ClientId = client.Id,
            LocalStart = SandboxFixture.Day(5).ToDateTime(new TimeOnly(11, 0)),
            ServiceIds = [staff.ServiceIds[0]],
            DiscountPercent = 10,
        });

        var response = await _api.GetAsync($"record/{CompanyId}/{added.Id}");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal($"{SandboxFixture.Iso(5)}T11:00:00+03:00", response.Data.GetProperty("datetime").GetString());
        var line = response.Data.GetProperty("services")[0];
        Assert.Equal(line.GetProperty("first_cost").GetDecimal() * 0.9m, line.GetProperty("cost").GetDecimal());
        Assert.True(added.Id > _server.Data.Records(CompanyId).Where(r => r.Id != added.Id).Max(r => r.Id));
        var visit = await _api.GetAsync($"visits/{added.VisitId}");
        Assert.Equal(HttpStatusCode.OK, visit.Status);
    }

    [Fact]
    public async Task ChangeClientComment_ShowsUpInClientsChangedAfter()
    {
        var client = _server.Data.Clients(CompanyId)[5];
        _time.Advance(TimeSpan.FromHours(1));

        _server.Data.ChangeClientComment(CompanyId, client.Id, "Новый комментарий");

        var response = await _api.GetAsync($"clients/{CompanyId}?changed_after={SandboxFixture.Iso(0)}T15:30:00");
        var row = Assert.Single(response.Data.EnumerateArray());
        Assert.Equal("Новый комментарий", row.GetProperty("comment").GetString());
    }

    [Fact]
    public async Task Mutators_WhileRequestsInFlight_KeepResponsesConsistent()
    {
        var ids = _server.Data.Records(CompanyId).Where(r => !r.Deleted).Select(r => r.Id).Take(60).ToList();
        var readers = Enumerable.Range(0, 20).Select(_ => _api.GetAsync($"records/{CompanyId}?count=300&with_deleted=1")).ToList();
        var writers = Task.Run(() =>
        {
            foreach (var id in ids)
            {
                _server.Data.DeleteRecord(CompanyId, id);
            }
        });

        await writers;
        var responses = await Task.WhenAll(readers);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(ids, id => Assert.True(_server.Data.Record(CompanyId, id).Deleted));
    }

    [Fact]
    public void Mutators_UnknownIds_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => _server.Data.DeleteRecord(CompanyId, 1));
        Assert.Throws<ArgumentException>(() => _server.Data.DeleteRecord(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _server.Data.ChangeAttendance(CompanyId, _server.Data.Records(CompanyId)[0].Id, 5));
    }
}
