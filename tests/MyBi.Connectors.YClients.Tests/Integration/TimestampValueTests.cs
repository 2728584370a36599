using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Integration;

/// <summary>The connector hands timestamps to the engine as values, never as text to be parsed again.</summary>
public sealed class TimestampValueTests
{
    [Fact]
    public async Task ReadAsync_Records_EmitTimestampValuesInTheCompanyOffset()
    {
        await using var server = await SandboxHarness.StartAsync();
        var day = server.Data.Today.AddDays(-1);

        var result = await SandboxHarness.ReadAsync(SandboxHarness.Config(server), SandboxHarness.Request(["records", "visits"], day, day));

        Assert.NotEmpty(result.Rows("records"));
        Assert.NotEmpty(result.Rows("visits"));
        foreach (var row in result.Rows("records").Concat(result.Rows("visits")))
        {
            var company = server.Data.Company(ReadResult.Id(row, "company_id"));
            var datetime = TimestampValue(row["datetime"]);
            Assert.Equal(company.UtcOffset, datetime.Offset);
            Assert.Equal(day, DateOnly.FromDateTime(datetime.DateTime));
        }

        Assert.All(result.Rows("records"), row => Assert.Equal(server.Data.Company(ReadResult.Id(row, "company_id")).UtcOffset, TimestampValue(row["date"]).Offset));
    }

    private static DateTimeOffset TimestampValue(JsonNode? node)
    {
        var value = Assert.IsAssignableFrom<JsonValue>(node);
        Assert.False(value.TryGetValue<string>(out var text), $"a text '{text}' where a timestamp value belongs");
        Assert.True(value.TryGetValue<DateTimeOffset>(out var stamp));
        return stamp;
    }
}
