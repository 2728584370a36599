using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;
using MyBi.Connectors.YClients.Http;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class AnswerTreeTests
{
    [Fact]
    public void Build_Numbers_KeepTheTextTheyCameAs()
    {
        const string answer = """{"a":1,"b":-7,"c":0,"d":-0,"e":1.50,"f":12345678901234567890,"g":1e3,"h":9223372036854775807}""";

        var tree = Build(answer);

        Assert.Equal(answer, tree.ToJsonString());
        Assert.True(LenientValue.TryParseInt64(tree["a"], out var a) && a == 1);
        Assert.True(LenientValue.TryParseInt64(tree["b"], out var b) && b == -7);
        Assert.Equal(1.50m, LenientValue.Parse(tree["e"], ColumnType.Decimal));
        Assert.Equal("1.50", LenientValue.Parse(tree["e"], ColumnType.String));
        Assert.False(LenientValue.TryParseInt64(tree["f"], out _));
        Assert.Equal(1000L, LenientValue.Parse(tree["g"], ColumnType.Int64));
    }

    [Fact]
    public void Build_NamesOfEveryRow_AreReadAsWrittenWhetherEscapedOrNot()
    {
        var first = Build("""{"id":1,"\u0069d2":2,"имя":"a"}""");
        var second = Build("""{"id":3,"id2":4,"имя":"b","id":5}""");

        Assert.Equal(["id", "id2", "имя"], first.Select(p => p.Key));
        Assert.Equal(["id", "id2", "имя"], second.Select(p => p.Key));
        Assert.Equal("""{"id":5,"id2":4,"имя":"b"}""", second.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public void Build_NamesThatShareACacheSlot_AreEachReadAsWritten()
    {
        // Same length, same first and last eight bytes: the same slot of the name cache, which must compare the bytes.
        var tree = Build("""{"rows":[{"abcdefgh_X_12345678":1,"abcdefgh_Y_12345678":2},{"abcdefgh_Y_12345678":3,"abcdefgh_X_12345678":4}]}""");

        Assert.Equal("""{"rows":[{"abcdefgh_X_12345678":1,"abcdefgh_Y_12345678":2},{"abcdefgh_Y_12345678":3,"abcdefgh_X_12345678":4}]}""", tree.ToJsonString());
    }

    [Fact]
    public void Build_EscapeOfALoneSurrogate_ReadAsTheReplacementCharacter_PairsAndTheRestKept()
    {
        // JSON allows "\ud800"; .NET refused to read it as a string, which failed the whole page at every attempt.
        var tree = Build("""{"name":"Ann\ud800a\n\"","emoji":"\ud83d\ude00","low":"\udc00","n\udfffame":1,"slash":"\\ud800"}""");

        Assert.Equal("Ann\uFFFDa\n\"", (string)tree["name"]!);
        Assert.Equal("\U0001F600", (string)tree["emoji"]!);
        Assert.Equal("\uFFFD", (string)tree["low"]!);
        Assert.Equal(1L, (long)tree["n\uFFFDame"]!);
        Assert.Equal("\\ud800", (string)tree["slash"]!);
    }

    [Fact]
    public void Build_RepeatedKeyInANestedObject_KeepsTheLastValueAndTheValuesBeforeIt()
    {
        var tree = Build("""{"data":[{"id":1,"client":{"id":7,"name":"a","id":8}}]}""");

        Assert.Equal("""{"data":[{"id":1,"client":{"id":8,"name":"a"}}]}""", tree.ToJsonString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"a\":1} {\"b\":2}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":")]
    public void Build_NoSingleJsonValue_ThrowsJsonException(string answer)
    {
        Assert.ThrowsAny<JsonException>(() => Build(answer));
    }

    private static JsonObject Build(string json)
    {
        var cut = 0;
        return (JsonObject)AnswerTree.Build(System.Text.Encoding.UTF8.GetBytes(json), 1000, ref cut)!;
    }
}
