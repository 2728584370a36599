using System.Net;
using System.Text;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Configuration;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Integration;

/// <summary>Answers the sandbox never gives (redirects, HTML, the Blueprint's bare login object), over real HTTP.</summary>
public sealed class HttpAnswersTests
{
    private static readonly ApiRequest s_companies = new() { Stream = "companies", Path = "/companies", Purpose = "list the companies", Query = [new("my", "1")] };

    private static YClientsHttpClient Client(RawHttpServer server, bool login = false) =>
        new(Options(server, login), new CountingObserver(), retryDelay: TimeSpan.FromMilliseconds(1));

    private static YClientsOptions Options(RawHttpServer server, bool login) => UnitClient.Options(c =>
    {
        c["base_url"] = server.BaseUrl.AbsoluteUri;
        if (login)
        {
            c.Remove("user_token");
            c["login"] = "79161234567";
            c["password"] = "pass-that-must-stay-home";
        }
    });

    private static async Task WriteAsync(HttpListenerContext context, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    private static Task RedirectAsync(HttpListenerContext context, int status, RawHttpServer target, string path)
    {
        context.Response.StatusCode = status;
        context.Response.RedirectLocation = new Uri(target.BaseUrl, path).AbsoluteUri;
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(307)]
    [InlineData(308)]
    public async Task LogIn_RedirectToAnotherHost_FailsNamingItAndNeverSendsThePasswordThere(int status)
    {
        await using var elsewhere = RawHttpServer.Start(c => WriteAsync(c, 201, "application/json", """{"success":true,"data":{"user_token":"stolen"},"meta":[]}"""));
        await using var api = RawHttpServer.Start(c => RedirectAsync(c, status, elsewhere, "/api/v1/auth"));
        using var client = Client(api, login: true);

        var error = await Assert.ThrowsAsync<MyBiException>(() => client.LogInAsync("79161234567", "pass-that-must-stay-home", null, fromConfig: true));

        Assert.Empty(elsewhere.Requests);
        Assert.Single(api.Requests);
        Assert.Contains($"127.0.0.1:{elsewhere.Port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("redirect", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pass-that-must-stay-home", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    public async Task Get_RedirectToAnotherHost_FailsWithoutLoadingItsData(int status)
    {
        await using var elsewhere = RawHttpServer.Start(c => WriteAsync(c, 200, "application/json", """{"success":true,"data":[{"id":666}],"meta":[]}"""));
        await using var api = RawHttpServer.Start(c => RedirectAsync(c, status, elsewhere, "/api/v1/companies?my=1"));
        using var client = Client(api);

        var error = await Assert.ThrowsAsync<MyBiException>(() => client.SendAsync(s_companies));

        Assert.Empty(elsewhere.Requests);
        Assert.Contains($"127.0.0.1:{elsewhere.Port}", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(FailureKind.Transient, error.Kind);
    }

    [Fact]
    public async Task Get_NonJsonOk_FailsAtOnceNamingTheEndpointAndContentType()
    {
        await using var api = RawHttpServer.Start(c => WriteAsync(c, 200, "text/html", "<html><body>Login: secret-session-cookie</body></html>"));
        using var client = Client(api);

        var error = await Assert.ThrowsAsync<MyBiException>(() => client.SendAsync(s_companies));

        Assert.Single(api.Requests);
        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("/companies", error.Message, StringComparison.Ordinal);
        Assert.Contains("text/html", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-session-cookie", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("kept failing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ServerErrorWithHtml_IsStillRetried()
    {
        await using var api = RawHttpServer.Start(c => WriteAsync(c, 502, "text/html", "<html>Bad Gateway</html>"));
        using var client = Client(api);

        var error = await Assert.ThrowsAsync<MyBiException>(() => client.SendAsync(s_companies));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Equal(3, api.Requests.Count);
    }

    [Fact]
    public async Task LogIn_BlueprintsBareUserObject_GivesTheToken()
    {
        // The Blueprint's example answer of POST /auth: 201 with the attributes alone, no envelope.
        await using var api = RawHttpServer.Start(c => WriteAsync(c, 201, "application/json", """{"user_token":"wec23fh8cDfFV4432fc352456"}"""));
        using var client = Client(api, login: true);

        var outcome = await client.LogInAsync("testuser@yclients.com", "testpass", null, fromConfig: true);

        Assert.Equal("wec23fh8cDfFV4432fc352456", outcome.UserToken);
        Assert.Contains("\"login\":\"testuser@yclients.com\"", Assert.Single(api.Requests).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogIn_EnvelopedAnswer_GivesTheToken()
    {
        await using var api = RawHttpServer.Start(c => WriteAsync(c, 201, "application/json",
            """{"success":true,"data":{"id":1,"user_token":"enveloped-token","name":"","is_approved":true},"meta":[]}"""));
        using var client = Client(api, login: true);

        var outcome = await client.LogInAsync("testuser@yclients.com", "testpass", null, fromConfig: true);

        Assert.Equal("enveloped-token", outcome.UserToken);
    }
}
