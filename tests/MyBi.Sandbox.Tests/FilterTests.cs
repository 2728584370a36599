using System.Net;

namespace MyBi.Sandbox.Tests;

public sealed class FilterTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly ApiClient _api = new(fixture.Server);

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Records_WithDeleted_IncludesDeletedRecordsOnlyWhenAsked()
    {
        var all = fixture.Server.Data.RecordsBetween(fixture.CompanyId, SandboxFixture.Day(-74), SandboxFixture.Day(16), includeDeleted: true);
        var deletedIds = all.Where(r => r.Deleted).Select(r => r.Id).ToHashSet();
        Assert.NotEmpty(deletedIds);

        var without = await _api.GetAsync($"records/{fixture.CompanyId}?start_date={SandboxFixture.Iso(-74)}&end_date={SandboxFixture.Iso(16)}&count=1");
        var with = await _api.GetAsync($"records/{fixture.CompanyId}?start_date={SandboxFixture.Iso(-74)}&end_date={SandboxFixture.Iso(16)}&count=1&with_deleted=1");

        Assert.Equal(all.Count - deletedIds.Count, without.Meta.GetProperty("total_count").GetInt32());
        Assert.Equal(all.Count, with.Meta.GetProperty("total_count").GetInt32());
    }

    [Theory]
    // {0}: five days ago, {1}: the day before, both as yyyy-MM-dd; every form names Moscow midnight of {0}.
    [InlineData("{0}T00:00:00")]
    [InlineData("{0}T00:00:00%2B0300")]
    [InlineData("{0}T00:00:00%2B03:00")]
    [InlineData("{0}T00:00:00+0300")]
    [InlineData("{1}T21:00:00Z")]
    public async Task Records_ChangedAfter_AcceptsLiveFormatsAndFiltersByLastChange(string form)
    {
        var changedAfter = string.Format(System.Globalization.CultureInfo.InvariantCulture, form, SandboxFixture.Iso(-5), SandboxFixture.Iso(-6));
        var threshold = new DateTimeOffset(SandboxFixture.Day(-5).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(3));
        var expected = fixture.Server.Data.Records(fixture.CompanyId).Count(r => !r.Deleted && r.LastChangeDate >= threshold);

        var response = await _api.GetAsync($"records/{fixture.CompanyId}?changed_after={changedAfter}&count=300");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(expected, response.Meta.GetProperty("total_count").GetInt32());
        Assert.All(response.Data.EnumerateArray(), r =>
            Assert.True(DateTimeOffset.Parse(r.GetProperty("last_change_date").GetString()!.Insert(22, ":")) >= threshold));
    }

    [Fact]
    public async Task Records_BadDate_Returns400()
    {
        var response = await _api.GetAsync($"records/{fixture.CompanyId}?start_date=10.03.2024");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.False(response.Success);
    }

    [Fact]
    public async Task Records_StaffFilter_ReturnsOnlyThatStaff()
    {
        var staffId = fixture.Server.Data.Staff(fixture.CompanyId)[1].Id;

        var response = await _api.GetAsync($"records/{fixture.CompanyId}?staff_id={staffId}&count=300");

        Assert.True(response.Data.GetArrayLength() > 0);
        Assert.All(response.Data.EnumerateArray(), r => Assert.Equal(staffId, r.GetProperty("staff_id").GetInt64()));
    }

    [Fact]
    public async Task Transactions_DeletedFlag_ReturnsOnlyDeletedTransactions()
    {
        var deleted = fixture.Server.Data.FinanceTransactions(fixture.CompanyId).Where(t => t.Deleted).Select(t => t.Id.ToString()).ToList();
        Assert.NotEmpty(deleted);

        var response = await _api.GetAsync($"transactions/{fixture.CompanyId}?deleted=1&count=500");
        var normal = await _api.GetAsync($"transactions/{fixture.CompanyId}?count=5000");

        Assert.Equal(deleted.Order(), response.Data.EnumerateArray().Select(t => t.GetProperty("id").GetString()!).Order());
        Assert.DoesNotContain(normal.Data.EnumerateArray(), t => deleted.Contains(t.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task Clients_ChangedAfter_FiltersByLastChange()
    {
        var threshold = new DateTimeOffset(SandboxFixture.Day(-14).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(3));
        var expected = fixture.Server.Data.Clients(fixture.CompanyId).Count(c => c.LastChangeDate >= threshold);

        var response = await _api.GetAsync($"clients/{fixture.CompanyId}?changed_after={SandboxFixture.Iso(-14)}T00:00:00&count=1");

        Assert.InRange(expected, 1, fixture.Server.Data.Clients(fixture.CompanyId).Count - 1);
        Assert.Equal(expected, response.Meta.GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task StorageTransactions_ChangedAfter_FiltersByLastChange()
    {
        var threshold = new DateTimeOffset(SandboxFixture.Day(-14).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(3));
        var expected = fixture.Server.Data.GoodsTransactions(fixture.CompanyId).Count(t => t.LastChangeDate >= threshold);

        var response = await _api.GetAsync($"storages/transactions/{fixture.CompanyId}?changed_after={SandboxFixture.Iso(-14)}T00:00:00%2B0300");

        Assert.Equal(expected, response.Meta.GetProperty("count").GetInt32());
    }
}
