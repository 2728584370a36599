using MyBi.Connectors.YClients.Http;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class AuthorizationHeaderTests
{
    [Fact]
    public void Format_PartnerAndUser_IsBearerCommaUser()
    {
        Assert.Equal("Bearer abc, User def", AuthorizationHeader.Format("abc", "def"));
    }

    [Fact]
    public void Format_PartnerOnly_IsBearer()
    {
        Assert.Equal("Bearer abc", AuthorizationHeader.Format("abc", null));
    }

    [Fact]
    public void AcceptV2_IsTheDocumentedMediaType()
    {
        Assert.Equal("application/vnd.yclients.v2+json", AuthorizationHeader.AcceptV2);
    }
}
