using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using MyBi.Abstractions.Destinations;
using MyBi.Destinations.DuckDb;
using MyBi.Engine.Reports;
using static MyBi.Engine.Tests.Reports.ReportConnector;

namespace MyBi.Engine.Tests.Reports;

public sealed class ReportRunnerTests : IAsyncLifetime
{
    private static readonly DateOnly s_today = new(2026, 11, 15);
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-reports-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 15, 9, 0, 0, TimeSpan.Zero));
    private readonly ReportConnector _connector = new();
    private Destination _destination = null!;

    public Task InitializeAsync()
    {
        _destination = new DuckDbDestinationProvider().Create(new JsonObject { ["type"] = "duckdb", ["path"] = "r.duckdb" }, _folder);
        for (var i = 1; i <= 20; i++)
        {
            _connector.Rows.Add(Payment(i, s_today.AddDays(-i), i * 100.05m));
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _destination.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private ReportJob Job(bool fix = false, DateOnly? from = null, DateOnly? to = null, int lookback = 3) => new()
    {
        Pipeline = "p",
        Name = "Payments by day",
        Connector = _connector,
        SourceConfig = new JsonObject(),
        Report = ReportFields.Of(_connector.ReportTypes[0]),
        Fields = ["id", "date", "amount", "account.title"],
        FixStructure = fix,
        From = from,
        To = to,
        LookbackDays = lookback,
        BatchSize = 7,
    };

    private async Task<List<object?[]>> QueryAsync(string sql) => (await _destination.QueryAsync(sql, 10_000)).Rows.ToList();

    [Fact]
    public async Task RunAsync_Json_StoresSelectedFieldsOnly()
    {
        await new ReportRunner(_time).RunAsync(Job(from: s_today.AddDays(-10), to: s_today), _destination);

        var rows = await QueryAsync("select row_key, data, report_type, company_id from shop_reports where job_name = 'Payments by day' order by cast(row_key as integer)");
        Assert.Equal(10, rows.Count);
        using var data = JsonDocument.Parse((string)rows[0][1]!);
        Assert.Equal(["id", "date", "amount", "account.title"], data.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Касса", data.RootElement.GetProperty("account.title").GetString());
        Assert.Equal("payments", rows[0][2]);
        Assert.Equal(7L, rows[0][3]);
    }

    [Fact]
    public async Task RunAsync_ReloadPeriod_ReplacesWithoutDuplicatesAndDropsVanishedRows()
    {
        await new ReportRunner(_time).RunAsync(Job(from: s_today.AddDays(-20), to: s_today), _destination);
        _connector.Rows.RemoveAll(r => r["id"]!.GetValue<long>() == 5);
        _connector.Rows.RemoveAll(r => r["id"]!.GetValue<long>() == 15);
        _connector.Rows[0]["amount"] = "999.99";

        await new ReportRunner(_time).RunAsync(Job(from: s_today.AddDays(-10), to: s_today), _destination);

        var keys = (await QueryAsync("select row_key from shop_reports")).Select(r => long.Parse((string)r[0]!, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        // id 5 vanished inside the reloaded period and is gone; id 15 is outside it and stays.
        Assert.Equal(Enumerable.Range(1, 20).Where(i => i != 5).Select(i => (long)i), keys);
        var changed = await QueryAsync("select data from shop_reports where row_key = '1'");
        Assert.Contains("999.99", (string)changed[0][0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FixStructure_TypedColumnsPerField()
    {
        await new ReportRunner(_time).RunAsync(Job(fix: true, from: s_today.AddDays(-4), to: s_today), _destination);

        var rows = await QueryAsync("select id, amount, account_title, date, company_id from report_payments_by_day order by id");
        Assert.Equal(4, rows.Count);
        Assert.Equal(1L, rows[0][0]);
        Assert.Equal(100.05m, Convert.ToDecimal(rows[0][1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Касса", rows[0][2]);
        Assert.Equal(7L, rows[0][4]);
        Assert.False(await _destination.TableExistsAsync("shop_reports"));
    }

    [Fact]
    public async Task RunAsync_WithoutPeriod_ContinuesFromLastRunMinusLookback()
    {
        await new ReportRunner(_time).RunAsync(Job(from: s_today.AddDays(-20), to: s_today.AddDays(-6)), _destination);
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));

        await new ReportRunner(_time).RunAsync(Job(lookback: 2), _destination);

        var second = _connector.Requests[^1];
        Assert.Equal(s_today.AddDays(-8), second.From);
        Assert.Equal(new DateOnly(2026, 11, 20), second.To);
    }

    [Fact]
    public void Period_FirstRunWithoutState_LoadsTheLookback()
    {
        var (from, to) = ReportRunner.Period(Job(lookback: 7), null, s_today);
        Assert.Equal(s_today.AddDays(-7), from);
        Assert.Equal(s_today, to);
    }
}
