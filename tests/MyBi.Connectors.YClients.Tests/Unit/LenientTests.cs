using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class LenientTests
{
    [Fact]
    public void Long_IdGivenAsStringInLegacyServices_IsParsed()
    {
        var service = Samples.Json("services_list_legacy_deprecated.json")["data"]![0]!;

        Assert.Equal(6137968L, Lenient.Id(service["id"]));
        Assert.Equal(2051144L, Lenient.Id(service["category_id"]));
        Assert.Equal(1072559L, Lenient.Id(service["staff"]![0]!["id"]));
    }

    [Fact]
    public void Long_IdGivenAsNumber_IsParsed()
    {
        var record = Samples.Json("records_list.json")["data"]![0]!;

        Assert.Equal(560031877L, Lenient.Id(record["id"]));
        Assert.Equal(481223990L, Lenient.Id(record["visit_id"]));
    }

    [Fact]
    public void Id_ZeroOrEmptyOrMissing_IsNull()
    {
        var transaction = Samples.Json("transactions_list.json")["data"]![2]!;

        Assert.Null(Lenient.Id(transaction["record_id"]));
        Assert.Null(Lenient.Id(JsonValue.Create("")));
        Assert.Null(Lenient.Id(null));
    }

    [Fact]
    public void Decimal_MoneyGivenAsString_IsParsedExactly()
    {
        var service = Samples.Json("services_list_legacy_deprecated.json")["data"]![0]!;

        Assert.Equal(6500.00m, Lenient.Decimal(service["price_min"]));
        Assert.Equal(8900.00m, Lenient.Decimal(service["price_max"]));
    }

    [Fact]
    public void Decimal_NegativeAmountAndFractionalPrice_AreKept()
    {
        var consumable = Samples.Json("storages_transactions_list.json")["data"]![1]!;

        Assert.Equal(-60m, Lenient.Decimal(consumable["amount"]));
        Assert.Equal(9.5m, Lenient.Decimal(consumable["cost_per_unit"]));
    }

    [Fact]
    public void Bool_ZeroOneAndTrueFalse_AreRead()
    {
        var staff = Samples.Json("staff_list.json")["data"]!;
        var legacy = Samples.Json("services_list_legacy_deprecated.json")["data"]![0]!;
        var record = Samples.Json("records_list.json")["data"]![0]!;

        Assert.False(Lenient.Bool(staff[0]!["fired"]));
        Assert.True(Lenient.Bool(staff[1]!["fired"]));
        Assert.True(Lenient.Bool(legacy["active"]));
        Assert.False(Lenient.Bool(record["deleted"]));
        Assert.True(Lenient.Bool(record["online"]));
        Assert.Null(Lenient.Bool(JsonValue.Create("maybe")));
    }

    [Fact]
    public void Object_EmptyArrayForEmptyObject_IsNull()
    {
        var expense = Samples.Json("transactions_list.json")["data"]![2]!;

        Assert.Null(Lenient.Object(expense["master"]));
        Assert.Null(Lenient.Object(expense["client"]));
        Assert.Equal(1968L, Lenient.Id(Lenient.Object(expense["supplier"])!["id"]));
    }

    [Fact]
    public void Object_NullClient_IsNull()
    {
        var anonymous = Samples.Json("records_list.json")["data"]![1]!;

        Assert.Null(Lenient.Object(anonymous["client"]));
        Assert.Null(Lenient.Id(Lenient.Object(anonymous["client"])?["id"]));
    }

    [Fact]
    public void Objects_EmptyArrayNullAndKeyedObject_AreTolerated()
    {
        Assert.Empty(Lenient.Objects(JsonNode.Parse("[]")));
        Assert.Empty(Lenient.Objects(null));
        Assert.Equal(2, Lenient.Objects(JsonNode.Parse("""{"0":{"id":1},"1":{"id":2}}""")).Count());
        Assert.Single(Lenient.Objects(Samples.Json("records_list.json")["data"]![0]!["services"]));
    }

    [Fact]
    public void TryTimestamp_OffsetWithoutColon_KeepsOffset()
    {
        var record = Samples.Json("records_list.json")["data"]![0]!;

        Assert.True(Lenient.TryTimestamp(Lenient.Text(record["create_date"]), out var created));
        Assert.Equal(new DateTimeOffset(2024, 2, 20, 18, 4, 55, TimeSpan.FromHours(3)), created);
        Assert.Equal(TimeSpan.FromHours(3), created.Offset);
    }

    [Fact]
    public void TryTimestamp_OffsetWithColon_KeepsOffset()
    {
        var record = Samples.Json("records_list.json")["data"]![0]!;

        Assert.True(Lenient.TryTimestamp(Lenient.Text(record["datetime"]), out var start));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 15, 0, 0, TimeSpan.FromHours(3)), start);
    }

    [Fact]
    public void TryTimestamp_NaiveLocalDate_IsNotATimestampButIsNaive()
    {
        var record = Samples.Json("records_list.json")["data"]![0]!;
        var text = Lenient.Text(record["date"]);

        Assert.False(Lenient.TryTimestamp(text, out _));
        Assert.True(Lenient.TryNaive(text, out var local));
        Assert.Equal(new DateTime(2024, 3, 1, 15, 0, 0), local);
    }

    [Fact]
    public void TryNaive_ZeroDate_IsRejected()
    {
        Assert.False(Lenient.TryNaive("0000-00-00", out _));
        Assert.False(Lenient.TryNaive("0000-00-00 00:00:00", out _));
    }

    [Fact]
    public void Format_KeepsOffsetWithColon()
    {
        Assert.Equal("2024-03-01T15:00:00+05:00", Lenient.Format(new DateTimeOffset(2024, 3, 1, 15, 0, 0, TimeSpan.FromHours(5))));
    }
}
