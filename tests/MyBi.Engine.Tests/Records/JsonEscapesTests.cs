using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;

namespace MyBi.Engine.Tests.Records;

/// <summary>Every escape of a JSON text made readable: lone surrogates (and U+0000 on request) become U+FFFD.</summary>
public sealed class JsonEscapesTests
{
    [Theory]
    [InlineData("""{"a":"x\ud800y"}""", """{"a":"x\ufffdy"}""")]
    [InlineData("""{"a":"\udc00"}""", """{"a":"\ufffd"}""")]
    [InlineData("""{"a":"\uD800\uD800\uDC00"}""", """{"a":"\ufffd\uD800\uDC00"}""")]
    [InlineData("""{"a":"\ud800\n\udc00"}""", """{"a":"\ufffd\n\ufffd"}""")]
    [InlineData("""{"x\ud800":"\ud800"}""", """{"x\ufffd":"\ufffd"}""")]
    [InlineData("""["\ud800"]""", """["\ufffd"]""")]
    public void Readable_LoneSurrogateEscapes_BecomeTheReplacementCharacter_AndTheTextReadsAsStrings(string json, string expected)
    {
        Assert.ThrowsAny<InvalidOperationException>(() => JsonNode.Parse(json)!.ToJsonString());

        var readable = JsonEscapes.Readable(json);

        Assert.Equal(expected, readable);
        Assert.DoesNotContain("\uD800", JsonNode.Parse(readable)!.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"a":"x"}""")]
    [InlineData("""{"a":"\ud83d\ude00 \u0410\/\\ud800 \"\u0000"}""")]
    [InlineData("""{"a":"\\\\ud800"}""")]
    [InlineData("\\")]
    [InlineData("\\u12")]
    [InlineData("")]
    public void Readable_NothingToReplace_TheSameInstance(string json)
    {
        Assert.Same(json, JsonEscapes.Readable(json));
    }

    [Fact]
    public void Readable_Nul_ReplacesTheEscapeOfU0000Too()
    {
        const string json = """{"a":"x\u0000y\\u0000","b":"\ud800"}""";

        var readable = JsonEscapes.Readable(json, nul: true);

        Assert.Equal("""{"a":"x\ufffdy\\u0000","b":"\ufffd"}""", readable);
        Assert.Equal("x\uFFFDy\\u0000", JsonSerializer.Deserialize<JsonObject>(readable)!["a"]!.GetValue<string>());
    }
}
