using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Reading;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class SyncStateTests
{
    [Fact]
    public void ToJson_AfterAdvance_RoundTripsPerCompanyAndStream()
    {
        var state = SyncState.From(null);
        var cursor = new DateTimeOffset(2024, 3, 1, 16, 41, 2, TimeSpan.FromHours(3));
        state.Advance("100001", "records", cursor);

        var again = SyncState.From(state.ToJson());

        Assert.Equal(cursor, again.Cursor("100001", "records"));
        Assert.Null(again.Cursor("100002", "records"));
        Assert.Null(again.Cursor("100001", "clients"));
        Assert.Equal("2024-03-01T16:41:02+03:00", state.ToJson()["companies"]!["100001"]!["records"]!["cursor"]!.GetValue<string>());
    }

    [Fact]
    public void Advance_OlderCursor_DoesNotMoveBack()
    {
        var state = SyncState.From(null);
        var later = new DateTimeOffset(2024, 3, 2, 0, 0, 0, TimeSpan.Zero);
        state.Advance("1", "records", later);

        state.Advance("1", "records", later.AddDays(-1));

        Assert.Equal(later, state.Cursor("1", "records"));
    }

    [Fact]
    public void From_ForeignState_ConfigError()
    {
        var error = Assert.Throws<MyBiException>(() => SyncState.From(new JsonObject { ["cursor"] = "x" }));

        Assert.Equal(FailureKind.Config, error.Kind);
    }

    [Fact]
    public void ToJson_IsACopy()
    {
        var state = SyncState.From(null);
        state.Advance("1", "records", DateTimeOffset.UnixEpoch);
        var snapshot = state.ToJson();

        state.Advance("1", "records", DateTimeOffset.UnixEpoch.AddDays(1));

        Assert.Equal("1970-01-01T00:00:00+00:00", snapshot["companies"]!["1"]!["records"]!["cursor"]!.GetValue<string>());
    }
}
