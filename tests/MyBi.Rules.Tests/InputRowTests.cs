using System.Text.Json.Nodes;

namespace MyBi.Rules.Tests;

/// <summary>
/// Input rows reach the rule as the same JavaScript values whether their JSON nodes were parsed from text or built
/// in code from CLR values (ints, longs, decimals, doubles, booleans, strings, nested objects and lists).
/// </summary>
public sealed class InputRowTests
{
    private const string Echo = """
        declare('seen', { columns: { id: 'int64', text: 'json' }, key: ['id'] });
        function transform(row, ctx) {
          const types = Object.keys(row).map(k => k + ':' + (row[k] === null ? 'null' : Array.isArray(row[k]) ? 'array' : typeof row[k]));
          emit('seen', { id: 1, text: { row, types } });
        }
        """;

    private const string Text = """
        {"small":42,"big":1700000000123,"huge":9007199254740993,"cost":12.5,"ratio":0.25,"flag":true,"off":false,
         "name":"Мастер 1","none":null,"nested":{"id":7,"tags":["a",3,true]}}
        """;

    [Fact]
    public void Run_RowBuiltFromClrValues_SeenExactlyAsTheSameRowParsedFromText()
    {
        var built = new JsonObject
        {
            ["small"] = 42,
            ["big"] = 1_700_000_000_123L,
            ["huge"] = 9_007_199_254_740_993L,
            ["cost"] = 12.5m,
            ["ratio"] = 0.25,
            ["flag"] = true,
            ["off"] = false,
            ["name"] = "Мастер 1",
            ["none"] = null,
            ["nested"] = new JsonObject { ["id"] = (short)7, ["tags"] = new JsonArray("a", 3, true) },
        };

        using var runner = RuleTestKit.Runner(Echo);
        var fromCode = runner.Run([built], RuleTestKit.KeyOf).Value("seen", 0, "text");
        var fromText = runner.Run([JsonNode.Parse(Text)!.AsObject()], RuleTestKit.KeyOf).Value("seen", 0, "text");

        Assert.Equal(fromText, fromCode);
        // Integers beyond 2^53 stay exact as text; the others are numbers.
        Assert.Contains("\"huge\":\"9007199254740993\"", (string)fromCode!, StringComparison.Ordinal);
        Assert.Contains("\"small:number\",\"big:number\",\"huge:string\",\"cost:number\",\"ratio:number\",\"flag:boolean\",\"off:boolean\",\"name:string\",\"none:null\",\"nested:object\"", (string)fromCode!, StringComparison.Ordinal);
    }
}
