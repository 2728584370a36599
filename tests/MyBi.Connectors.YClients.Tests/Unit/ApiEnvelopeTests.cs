using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class ApiEnvelopeTests
{
    [Fact]
    public void TryParse_ListAnswer_GivesItemsAndMeta()
    {
        Assert.True(ApiEnvelope.TryParse(Samples.Text("records_list.json"), out var envelope));

        Assert.True(envelope.Success);
        Assert.Equal(2, envelope.Items.Count);
        Assert.Equal(2, envelope.Meta!["total_count"]!.GetValue<int>());
    }

    [Fact]
    public void TryParse_BlueprintsBareLoginAnswer_IsASuccessfulEnvelopeHoldingTheUser()
    {
        Assert.True(ApiEnvelope.TryParse("""{"user_token":"wec23fh8cDfFV4432fc352456"}""", out var envelope));

        Assert.True(envelope.Success);
        Assert.Equal("wec23fh8cDfFV4432fc352456", envelope.Data!["user_token"]!.GetValue<string>());
    }

    [Fact]
    public void TryParse_OtherBareObject_IsNoEnvelope()
    {
        Assert.False(ApiEnvelope.TryParse("""{"error":"gateway"}""", out _));
    }

    [Fact]
    public void TryParse_ErrorAnswer_GivesFailureAndRussianMessage()
    {
        Assert.True(ApiEnvelope.TryParse(Samples.Text("error_403_no_rights.json"), out var envelope));

        Assert.False(envelope.Success);
        Assert.Equal("Недостаточно прав", envelope.Message);
        Assert.Empty(envelope.Items);
    }

    [Fact]
    public void TryParse_SingleObjectWithEmptyArrayMeta_HasNoMessage()
    {
        Assert.True(ApiEnvelope.TryParse(Samples.Text("record_single.json"), out var envelope));

        Assert.True(envelope.Success);
        Assert.Null(envelope.Message);
        Assert.Equal(560031877L, envelope.Data!["id"]!.GetValue<long>());
    }

    [Fact]
    public void TryParse_BareArray_IsASuccessfulList()
    {
        Assert.True(ApiEnvelope.TryParse("""[{"id":1},{"id":2}]""", out var envelope));

        Assert.True(envelope.Success);
        Assert.Equal(2, envelope.Items.Count);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("")]
    [InlineData("{\"unexpected\":true}")]
    [InlineData("{\"success\":true,\"data\":[")]
    public void TryParse_NotAnEnvelope_Fails(string body)
    {
        Assert.False(ApiEnvelope.TryParse(body, out _));
    }

    [Fact]
    public void Items_DataIsASingleObject_Throws()
    {
        Assert.True(ApiEnvelope.TryParse(Samples.Text("record_single.json"), out var envelope));

        Assert.Throws<FormatException>(() => envelope.Items);
    }
}
