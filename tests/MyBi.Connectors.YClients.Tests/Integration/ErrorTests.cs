using System.Net;
using System.Net.Sockets;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Connectors.YClients.Tests.Support;
using MyBi.Testing;

namespace MyBi.Connectors.YClients.Tests.Integration;

public sealed class ErrorTests
{
    [Fact]
    public async Task ConnectAsync_WrongPassword_ConfigNamingLoginWithoutPassword()
    {
        await using var server = await SandboxHarness.StartAsync();
        var config = SandboxHarness.Config(server, c => c["password"] = "wrong-Secret-42");

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.Connector().ConnectAsync(new SourceContext { Config = config, TimeProvider = TestClock.Running }).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith($"YCLIENTS refused the login or password for {SandboxCredentials.Login}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-Secret-42", error.Message + error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxCredentials.PartnerToken, error.Message + error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_WrongPartnerToken_ConfigAboutThePartnerToken()
    {
        await using var server = await SandboxHarness.StartAsync();
        var config = SandboxHarness.Config(server, c => c["partner_token"] = "wrong-partner-token");

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.Connector().ConnectAsync(new SourceContext { Config = config, TimeProvider = TestClock.Running }).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith("YCLIENTS did not accept the partner token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-partner-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_WrongUserToken_ConfigAboutTheTokensWithoutThem()
    {
        await using var server = await SandboxHarness.StartAsync();
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("login");
            c.Remove("password");
            c.Remove("company_ids");
            c["user_token"] = "not-a-real-user-token";
        });

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.Connector().ConnectAsync(new SourceContext { Config = config, TimeProvider = TestClock.Running }).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("user_token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-real-user-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_UnknownCompany_ConfigCompanyNotFound()
    {
        await using var server = await SandboxHarness.StartAsync();
        var config = SandboxHarness.Config(server, c =>
        {
            c.Remove("company_ids");
            c["company_id"] = 999999;
        });

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.Connector().ConnectAsync(new SourceContext { Config = config, TimeProvider = TestClock.Running }).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith("company 999999 not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_ClosedLoopbackPort_TransientNamingHostAndPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var config = new System.Text.Json.Nodes.JsonObject
        {
            ["base_url"] = $"http://127.0.0.1:{port}/api/v1",
            ["partner_token"] = "p",
            ["login"] = "x",
            ["password"] = "y",
            ["company_id"] = 1,
            ["max_retries"] = 1,
            ["timeout_seconds"] = 5,
        };

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.Connector().ConnectAsync(new SourceContext { Config = config, TimeProvider = TestClock.Running }).AsTask());

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Equal($"cannot reach YCLIENTS at 127.0.0.1:{port}: connection refused.", error.Message);
    }

    [Fact]
    public async Task ReadAsync_LimitedUserReadingRecords_Config403NamingWhatAndCompany()
    {
        await using var server = await SandboxHarness.StartAsync();
        var company = server.Data.AccessibleCompanies[0].Id;
        var config = SandboxHarness.Config(server, c =>
        {
            c["login"] = SandboxCredentials.LimitedLogin;
            c.Remove("company_ids");
            c["company_id"] = company;
        });

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.ReadAsync(config, SandboxHarness.Request(["records"], server.Data.Today, server.Data.Today)));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith($"the YCLIENTS user has no right to read records in company {company} (403 Недостаточно прав)", error.Message, StringComparison.Ordinal);
        Assert.Equal("records", error.Stream);
    }

    [Fact]
    public async Task ReadAsync_LimitedUserReadingClients_Succeeds()
    {
        await using var server = await SandboxHarness.StartAsync();
        var company = server.Data.AccessibleCompanies[0].Id;
        var config = SandboxHarness.Config(server, c =>
        {
            c["login"] = SandboxCredentials.LimitedLogin;
            c.Remove("company_ids");
            c["company_id"] = company;
        });

        var result = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["clients"]));

        Assert.Equal(server.Data.Clients(company).Count, result.Rows("clients").Count);
    }

    [Fact]
    public async Task ConnectAsync_TwoFactorUser_ConfigSuggestingAUserToken()
    {
        await using var server = await SandboxHarness.StartAsync();
        var config = SandboxHarness.Config(server, c => c["login"] = SandboxCredentials.TwoFactorLogin);

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.Connector().ConnectAsync(new SourceContext { Config = config, TimeProvider = TestClock.Running }).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("two-factor", error.Message, StringComparison.Ordinal);
    }
}
