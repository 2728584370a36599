using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox.Data;

namespace MyBi.Connectors.YClients.Sandbox.Json;

/// <summary>One service of <c>/technological_cards/record_consumables/{company_id}/{record_id}/</c>.</summary>
internal static class ConsumablesJson
{
    public static void WriteService(Utf8JsonWriter w, SandboxRecord record, SandboxService service, CompanyDataSet set)
    {
        w.WriteStartObject();
        w.WriteNumber("service_id", service.Id);
        w.WriteNumber("record_id", record.Id);
        w.WriteStartArray("technological_cards");
        if (set.TechnologicalCardsById.TryGetValue(service.TechnologicalCardId, out var card))
        {
            w.WriteStartObject();
            w.WriteNumber("id", card.Id);
            w.WriteString("title", card.Title);
            w.WriteStartArray("technological_card_items");
            foreach (var item in card.Items)
            {
                w.WriteStartObject();
                w.WriteNumber("id", item.Id);
                w.WriteNumber("technological_card_id", card.Id);
                w.WriteNumber("storage_id", item.StorageId);
                w.WriteNumber("good_id", item.GoodId);
                w.WriteNumber("amount", item.Amount);
                w.WriteNumber("price", item.Price);
                WriteGood(w, set.GoodsById[item.GoodId]);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("consumables");
        foreach (var t in set.GoodsByRecord[record.Id].Where(t => t.TypeId == SandboxGoodsTransaction.ConsumableType && t.ServiceId == service.Id))
        {
            w.WriteStartObject();
            w.WriteNumber("goods_transaction_id", t.Id);
            w.WriteNumber("record_id", record.Id);
            w.WriteNumber("service_id", service.Id);
            w.WriteNumber("storage_id", t.StorageId);
            w.WriteNumber("good_id", t.GoodId);
            w.WriteNumber("price", t.Cost);
            w.WriteNumber("amount", -t.Amount);
            WriteGood(w, set.GoodsById[t.GoodId]);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteGood(Utf8JsonWriter w, SandboxGood good)
    {
        w.WriteStartObject("good");
        w.WriteNumber("id", good.Id);
        w.WriteString("title", good.Title);
        w.WriteString("unit", good.ServiceUnitShortTitle);
        w.WriteEndObject();
    }
}
