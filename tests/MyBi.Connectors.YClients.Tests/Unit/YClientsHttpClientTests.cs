using System.Net;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class YClientsHttpClientTests
{
    private static ApiRequest Records(bool isList = true) => new()
    {
        Stream = "records",
        Path = "/records/412345",
        Purpose = "read records",
        CompanyId = 412345,
        IsList = isList,
    };

    [Fact]
    public async Task SendAsync_Always_SendsAcceptV2AndBothTokens()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.OK, Samples.Text("records_list.json")));
        using var client = UnitClient.Create(handler);

        var envelope = await client.SendAsync(Records().With("page", 1));

        Assert.Equal(2, envelope!.Items.Count);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("Bearer partner-secret, User user-secret", request.Authorization);
        Assert.Equal("application/vnd.yclients.v2+json", request.Accept);
        Assert.Equal("/api/v1/records/412345?page=1", request.Uri);
    }

    [Fact]
    public async Task SendAsync_SuccessFalseWithHttp200_IsRetriedThenTransient()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.OK, """{"success":false,"data":null,"meta":{"message":"Внутренняя ошибка"}}"""));
        var observer = new CountingObserver();
        using var client = UnitClient.Create(handler, observer: observer);

        var error = await Assert.ThrowsAsync<MyBiException>(() => client.SendAsync(Records()));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains("Внутренняя ошибка", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, handler.Count);
        Assert.Equal(3, observer.Requests("records"));
    }

    [Fact]
    public async Task SendAsync_429ThenOk_HonoursRetryAfterAndSucceeds()
    {
        var handler = new FakeHandler((_, n) => n == 1
            ? FakeHandler.Json(HttpStatusCode.TooManyRequests, Samples.Text("error_429_rate_limited.json"), TimeSpan.Zero)
            : FakeHandler.Json(HttpStatusCode.OK, Samples.Text("records_list.json")));
        using var client = UnitClient.Create(handler);

        var envelope = await client.SendAsync(Records());

        Assert.Equal(2, envelope!.Items.Count);
        Assert.Equal(2, handler.Count);
    }

    [Fact]
    public async Task SendAsync_500Always_TransientNamingHostAfterRetries()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.InternalServerError, "oops"));
        var options = UnitClient.Options();
        using var client = UnitClient.Create(handler, options);

        var error = await Assert.ThrowsAsync<MyBiException>(() => client.SendAsync(Records()));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains(options.Endpoint, error.Message, StringComparison.Ordinal);
        Assert.Equal(3, handler.Count);
    }

    [Fact]
    public async Task SendAsync_403_ConfigNamingWhatAndCompanyWithoutRetry()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.Forbidden, Samples.Text("error_403_no_rights.json")));
        using var client = UnitClient.Create(handler);

        var error = await Assert.ThrowsAsync<CompanyAccessException>(() => client.SendAsync(Records()));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith("the YCLIENTS user has no right to read records in company 412345 (403 Недостаточно прав)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task SendAsync_401_ConfigAboutTokensWithoutTheirValues()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.Unauthorized, Samples.Text("error_401_unauthorized.json")));
        using var client = UnitClient.Create(handler);

        var error = await Assert.ThrowsAsync<MyBiException>(() => client.SendAsync(Records()));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("partner_token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("partner-secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("user-secret", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task SendAsync_404CompanyNotFound_ConfigNamingTheCompany()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.NotFound, Samples.Text("error_404_company_not_found.json")));
        using var client = UnitClient.Create(handler);

        var error = await Assert.ThrowsAsync<CompanyAccessException>(() => client.SendAsync(Records()));

        Assert.StartsWith("company 412345 not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_404NotFoundOnAList_IsAnEmptyList()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.NotFound, Samples.Text("error_404_not_found.json")));
        using var client = UnitClient.Create(handler);

        var envelope = await client.SendAsync(Records());

        Assert.Empty(envelope!.Items);
    }

    [Fact]
    public async Task SendAsync_404NotFoundOnASingleObject_IsNull()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.NotFound, Samples.Text("error_404_not_found.json")));
        using var client = UnitClient.Create(handler);

        Assert.Null(await client.SendAsync(Records(isList: false)));
    }

    [Fact]
    public async Task SendAsync_400_IsNotRetried()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.BadRequest, Samples.Text("error_400_bad_filter.json")));
        using var client = UnitClient.Create(handler);

        var error = await Assert.ThrowsAsync<MyBiException>(() => client.SendAsync(Records()));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("Недопустимое значение фильтра", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task AuthenticateAsync_201_ThenRequestsCarryTheUserToken()
    {
        var handler = new FakeHandler((request, _) => request.RequestUri!.AbsolutePath.EndsWith("/auth", StringComparison.Ordinal)
            ? FakeHandler.Json(HttpStatusCode.Created, Samples.Text("auth_response_201.json"))
            : FakeHandler.Json(HttpStatusCode.OK, Samples.Text("records_list.json")));
        var options = UnitClient.Options(c =>
        {
            c.Remove("user_token");
            c["login"] = "79161234567";
            c["password"] = "pass-secret";
        });
        using var client = UnitClient.Create(handler, options);

        await client.AuthenticateAsync();
        await client.SendAsync(Records());

        var requests = handler.Requests.ToArray();
        Assert.Equal("Bearer partner-secret", requests[0].Authorization);
        Assert.Contains("\"password\":\"pass-secret\"", requests[0].Body, StringComparison.Ordinal);
        Assert.Equal("Bearer partner-secret, User 0f2b9c4e7a1d8e3f5b6a7c9d0e1f2a3b", requests[1].Authorization);
    }

    [Fact]
    public async Task AuthenticateAsync_401_ConfigNamingLoginButNotPassword()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.Unauthorized, Samples.Text("error_401_unauthorized.json")));
        var options = UnitClient.Options(c =>
        {
            c.Remove("user_token");
            c["login"] = "anna@example.com";
            c["password"] = "pass-secret";
        });
        using var client = UnitClient.Create(handler, options);

        var error = await Assert.ThrowsAsync<MyBiException>(() => client.AuthenticateAsync());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith("YCLIENTS refused the login or password for anna@example.com", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pass-secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("partner-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_RefusalWithHttp200_ConfigWithoutRetries()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.OK, """{"success":false,"data":null,"meta":{"message":"Неверный логин или пароль"}}"""));
        var options = UnitClient.Options(c =>
        {
            c.Remove("user_token");
            c["login"] = "anna@example.com";
            c["password"] = "pass-secret";
        });
        using var client = UnitClient.Create(handler, options);

        var error = await Assert.ThrowsAsync<MyBiException>(() => client.AuthenticateAsync());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith("YCLIENTS refused the login or password for anna@example.com", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task AuthenticateAsync_TwoFactorChallenge_ConfigSuggestingAUserToken()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.OK, Samples.Text("auth_response_200_2fa_challenge.json")));
        var options = UnitClient.Options(c =>
        {
            c.Remove("user_token");
            c["login"] = "2fa@example.com";
            c["password"] = "pass-secret";
        });
        using var client = UnitClient.Create(handler, options);

        var error = await Assert.ThrowsAsync<MyBiException>(() => client.AuthenticateAsync());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("two-factor", error.Message, StringComparison.Ordinal);
        Assert.Contains("user_token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_401WithLogin_LogsInAgainOnceAndRetries()
    {
        var handler = new FakeHandler((request, n) => request.RequestUri!.AbsolutePath.EndsWith("/auth", StringComparison.Ordinal)
            ? FakeHandler.Json(HttpStatusCode.Created, Samples.Text("auth_response_201.json"))
            : n == 2
                ? FakeHandler.Json(HttpStatusCode.Unauthorized, Samples.Text("error_401_unauthorized.json"))
                : FakeHandler.Json(HttpStatusCode.OK, Samples.Text("records_list.json")));
        var options = UnitClient.Options(c =>
        {
            c.Remove("user_token");
            c["login"] = "79161234567";
            c["password"] = "pass-secret";
        });
        using var client = UnitClient.Create(handler, options);
        await client.AuthenticateAsync();

        var envelope = await client.SendAsync(Records());

        Assert.Equal(2, envelope!.Items.Count);
        Assert.Equal(4, handler.Count);
    }
}
