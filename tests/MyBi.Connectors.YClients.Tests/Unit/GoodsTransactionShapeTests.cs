using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Reading;

namespace MyBi.Connectors.YClients.Tests.Unit;

/// <summary>The list item of <c>/storages/transactions</c> as the documentation's example gives it.</summary>
public sealed class GoodsTransactionShapeTests
{
    // The Blueprint's example item (its unquoted keys quoted): the client under "clients", no "amount".
    private const string BlueprintItem = """
        {
            "id": 123456789, "document_id": 22256643, "type_id": "987654321", "type": "Нечто",
            "good": { "id": "111222333", "title": "Something" },
            "storage": { "id": "333222111", "title": "Storage 1" },
            "unit": { "id": "333222111", "title": "миллилитр" },
            "operation_unit_type": 1,
            "create_date": "2012-12-21T19:08:00+0400", "last_change_date": "2020-02-01T12:00:00+0400",
            "cost_per_unit": "1.07", "cost": "0.00", "discount": "10.00",
            "master": { "id": "112233445", "title": "Василий Иванов" },
            "supplier": { "id": "11112222", "title": "Best Supplier Ever" },
            "record_id": 1,
            "service": { "id": "1234321", "title": "Услуга 4" },
            "clients": { "id": "4321234", "name": "Джордж Смит", "phone": "+79876543210" }
        }
        """;

    [Fact]
    public void ShapeGoods_BlueprintExample_TakesClientsAsClient_AndLeavesAmountAbsent()
    {
        var row = TransactionsGroup.ShapeGoods(JsonNode.Parse(BlueprintItem)!.AsObject());

        Assert.Equal("4321234", row["client"]!["id"]!.GetValue<string>());
        Assert.Equal("Джордж Смит", row["client"]!["name"]!.GetValue<string>());
        Assert.False(row.ContainsKey("clients"));
        Assert.False(row.ContainsKey("amount"));
    }

    [Fact]
    public void ShapeGoods_LiveShapeWithClient_IsUnchanged()
    {
        var item = JsonNode.Parse(BlueprintItem)!.AsObject();
        item.Remove("clients");
        item["client"] = new JsonObject { ["id"] = 5, ["name"] = "A" };
        item["amount"] = -2;
        var before = item.ToJsonString();

        Assert.Equal(before, TransactionsGroup.ShapeGoods(item).ToJsonString());
    }
}
