using System.Net;
using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

public sealed class AuthTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly ApiClient _api = new(fixture.Server);

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Request_WithoutAuthorization_Returns401Envelope()
    {
        var response = await _api.SendAsync(HttpMethod.Get, $"records/{fixture.CompanyId}", null, null, "application/vnd.yclients.v2+json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.False(response.Success);
        Assert.Equal(JsonValueKind.Null, response.Data.ValueKind);
        Assert.False(string.IsNullOrEmpty(response.Message));
    }

    [Fact]
    public async Task Request_WrongPartnerToken_Returns401()
    {
        var response = await _api.GetAsync($"company/{fixture.CompanyId}", "Bearer wrong-token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task UserRoute_PartnerTokenOnly_Returns401()
    {
        var response = await _api.GetAsync($"records/{fixture.CompanyId}", SandboxCredentials.PartnerHeader());

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task UserRoute_UnknownUserToken_Returns401()
    {
        var response = await _api.GetAsync($"records/{fixture.CompanyId}", SandboxCredentials.UserHeader("0000"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task CompaniesMy_PartnerTokenOnly_Returns401()
    {
        var response = await _api.GetAsync("companies?my=1", SandboxCredentials.PartnerHeader());

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Theory]
    [InlineData("Bearer sandbox-partner-token,User 5f0c3a9e7b2d4e1f8a6c9b0d2e4f6a81", "application/vnd.yclients.v2+json")]
    [InlineData("Bearer sandbox-partner-token ,  User 5f0c3a9e7b2d4e1f8a6c9b0d2e4f6a81", "application/vnd.api.v2+json")]
    public async Task Authorization_CommaVariantsAndBothAcceptTypes_AreAccepted(string header, string accept)
    {
        var response = await _api.GetAsync($"records/{fixture.CompanyId}?count=1", header, accept);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Success);
    }

    [Theory]
    [InlineData("records/{0}")]
    [InlineData("transactions/{0}")]
    [InlineData("clients/{0}")]
    [InlineData("company/{0}/services")]
    [InlineData("hooks_settings/{0}")]
    public async Task RestrictedCompany_MainUser_Returns403(string pathFormat)
    {
        var response = await _api.GetAsync(string.Format(pathFormat, fixture.Server.Data.RestrictedCompanyId));

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("Недостаточно прав", response.Message);
    }

    [Fact]
    public async Task RestrictedCompany_VisitById_Returns403()
    {
        var visit = fixture.Server.Data.Visits(fixture.Server.Data.RestrictedCompanyId)[0];

        var response = await _api.GetAsync($"visits/{visit.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
    }

    [Theory]
    [InlineData("records/{0}", HttpStatusCode.Forbidden)]
    [InlineData("transactions/{0}", HttpStatusCode.Forbidden)]
    [InlineData("accounts/{0}", HttpStatusCode.Forbidden)]
    [InlineData("clients/{0}", HttpStatusCode.OK)]
    [InlineData("company/{0}/staff", HttpStatusCode.OK)]
    public async Task LimitedUser_RecordsAndFinance_AreForbidden(string pathFormat, HttpStatusCode expected)
    {
        var response = await _api.GetAsync(string.Format(pathFormat, fixture.CompanyId), SandboxCredentials.UserHeader(SandboxCredentials.LimitedUserToken));

        Assert.Equal(expected, response.Status);
    }

    [Fact]
    public async Task UnknownCompany_Returns404CompanyNotFound()
    {
        var response = await _api.GetAsync("records/999999");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("Филиал не найден.", response.Message);
    }

    [Theory]
    [InlineData("record/{0}/1")]
    [InlineData("client/{0}/1")]
    [InlineData("storage_operations/documents/{0}/1")]
    [InlineData("visits/1")]
    [InlineData("storage_operations/documents/finance_transactions/1")]
    public async Task UnknownId_Returns404NotFound(string pathFormat)
    {
        var response = await _api.GetAsync(string.Format(pathFormat, fixture.CompanyId));

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("Не найдено", response.Message);
    }

    [Fact]
    public async Task Auth_ValidLogin_Returns201WithUserToken()
    {
        var response = await _api.PostAsync("auth", Login(SandboxCredentials.Login), SandboxCredentials.PartnerHeader());

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal(SandboxCredentials.UserToken, response.Data.GetProperty("user_token").GetString());
        Assert.Equal(JsonValueKind.Array, response.Meta.ValueKind);
    }

    [Fact]
    public async Task Auth_WrongPassword_Returns401WithMessage()
    {
        var response = await _api.PostAsync("auth", Login(SandboxCredentials.Login, "nope"), SandboxCredentials.PartnerHeader());

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.False(string.IsNullOrEmpty(response.Message));
    }

    [Fact]
    public async Task Auth_WithoutPartnerToken_Returns401()
    {
        var response = await _api.SendAsync(HttpMethod.Post, "auth", Login(SandboxCredentials.Login), null, "application/vnd.yclients.v2+json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task Auth_TwoFactorUser_ChallengeThenCodeYieldsToken()
    {
        var challenge = await _api.PostAsync("auth", Login(SandboxCredentials.TwoFactorLogin), SandboxCredentials.PartnerHeader());
        Assert.Equal(HttpStatusCode.OK, challenge.Status);
        var uuid = challenge.Data.GetProperty("uuid").GetString()!;
        Assert.False(challenge.Data.TryGetProperty("user_token", out _));
        Assert.Equal("email", challenge.Data.GetProperty("transport").GetProperty("type").GetString());
        Assert.Equal(3, challenge.Data.GetProperty("attempts_left").GetInt32());

        var wrong = await _api.PostAsync("auth", SecondStep(uuid, "000000"), SandboxCredentials.PartnerHeader());
        var right = await _api.PostAsync("auth", SecondStep(uuid, SandboxCredentials.TwoFactorCode), SandboxCredentials.PartnerHeader());
        var reused = await _api.PostAsync("auth", SecondStep(uuid, SandboxCredentials.TwoFactorCode), SandboxCredentials.PartnerHeader());

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(HttpStatusCode.Created, right.Status);
        Assert.Equal(SandboxCredentials.TwoFactorUserToken, right.Data.GetProperty("user_token").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, reused.Status);

        var records = await _api.GetAsync($"records/{fixture.CompanyId}?count=1", SandboxCredentials.UserHeader(SandboxCredentials.TwoFactorUserToken));
        Assert.Equal(HttpStatusCode.OK, records.Status);
    }

    [Fact]
    public async Task Stats_RejectedRequests_AreCountedByStatus()
    {
        await using var server = await SandboxServer.StartAsync(SandboxFixture.Options());
        using var api = new ApiClient(server);
        var companyId = server.Data.AccessibleCompanies[0].Id;

        await api.GetAsync($"records/{companyId}", SandboxCredentials.PartnerHeader());
        await api.GetAsync($"records/{server.Data.RestrictedCompanyId}");
        await api.GetAsync($"records/{companyId}?count=1");

        Assert.Equal(3, server.Stats.TotalRequests);
        Assert.Equal(3, server.Stats.RequestsFor("/records/{company_id}"));
        Assert.Equal(1, server.Stats.UnauthorizedResponses);
        Assert.Equal(1, server.Stats.ForbiddenResponses);
    }

    private static string Login(string login, string password = SandboxCredentials.Password) =>
        JsonSerializer.Serialize(new { login, password });

    private static string SecondStep(string uuid, string code) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["login"] = SandboxCredentials.TwoFactorLogin,
        ["password"] = SandboxCredentials.Password,
        ["2fa"] = new { uuid, secret = code },
    });
}
