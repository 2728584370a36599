using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Connectors.YClients.Tests.Support;
using MyBi.Testing;

namespace MyBi.Connectors.YClients.Tests.Integration;

public sealed class ConnectTests
{
    private static Dictionary<string, string> Answers(SandboxServer server, string login = SandboxCredentials.Login, string password = SandboxCredentials.Password) => new()
    {
        ["base_url"] = server.BaseUrl.AbsoluteUri,
        ["partner_token"] = SandboxCredentials.PartnerToken,
        ["login"] = login,
        ["password"] = password,
    };

    [Fact]
    public async Task ConnectInteractiveAsync_LoginAndCompanyChoice_SettingsWithTheTokensAsSecrets()
    {
        await using var server = await SandboxHarness.StartAsync();
        var company = server.Data.AccessibleCompanies[1];
        var answers = Answers(server);
        answers["company"] = company.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var prompt = new ScriptedPrompt(answers);

        var result = await SandboxHarness.Connector().ConnectInteractiveAsync(prompt, TestClock.Running);

        var config = result.Config;
        Assert.Equal(company.Id, config["company_id"]!.GetValue<long>());
        Assert.Equal(server.BaseUrl.AbsoluteUri, config["base_url"]!.GetValue<string>());
        Assert.False(config.ContainsKey("password"));
        Assert.False(config.ContainsKey("login"));
        Assert.False(config.ContainsKey("user_token"));
        Assert.False(config.ContainsKey("partner_token"));
        var plain = config.ToJsonString();
        Assert.DoesNotContain(SandboxCredentials.Password, plain, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxCredentials.UserToken, plain, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxCredentials.PartnerToken, plain, StringComparison.Ordinal);
        Assert.Equal(14, result.Streams.Count);
        Assert.Equal($"yclients-{company.Id}", result.SuggestedName);

        Assert.Equal(
            new Dictionary<string, string> { ["partner_token"] = SandboxCredentials.PartnerToken, ["user_token"] = SandboxCredentials.UserToken },
            result.Secrets);
        Assert.DoesNotContain(SandboxCredentials.Password, result.Secrets.Values);

        // The companies are listed, and the answer may name one or several of them.
        Assert.Contains(prompt.Asked, a => a.Key == "company" && !a.Secret);
        Assert.All(server.Data.AccessibleCompanies, c => Assert.Contains(prompt.Said, s => s.Contains(c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        Assert.Equal(30, config["first_run_days"]!.GetValue<int>());
        Assert.Contains(prompt.Asked, a => a.Key == "password" && a.Secret);
        Assert.Contains(prompt.Asked, a => a.Key == "partner_token" && a.Secret);
        Assert.Contains(prompt.Asked, a => a.Key == "login" && !a.Secret);
        Assert.DoesNotContain(prompt.Asked, a => a.Key == "code");
        Assert.All(prompt.Said, s => Assert.DoesNotContain(SandboxCredentials.UserToken, s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectInteractiveAsync_TwoFactorUser_AsksForTheCodeAndGetsTheToken()
    {
        await using var server = await SandboxHarness.StartAsync();
        var answers = Answers(server, SandboxCredentials.TwoFactorLogin);
        answers["code"] = SandboxCredentials.TwoFactorCode;
        answers["company"] = "1";
        var prompt = new ScriptedPrompt(answers);

        var result = await SandboxHarness.Connector().ConnectInteractiveAsync(prompt, TestClock.Running);

        Assert.Equal(SandboxCredentials.TwoFactorUserToken, result.Secrets["user_token"]);
        Assert.Contains(prompt.Asked, a => a.Key == "code");
        Assert.Equal(server.Data.AccessibleCompanies[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Config["company_id"]!.ToJsonString());
    }

    [Fact]
    public async Task ConnectInteractiveAsync_WrongTwoFactorCode_ConfigError()
    {
        await using var server = await SandboxHarness.StartAsync();
        var answers = Answers(server, SandboxCredentials.TwoFactorLogin);
        answers["code"] = "000000";

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.Connector().ConnectInteractiveAsync(new ScriptedPrompt(answers), TestClock.Running).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith($"YCLIENTS refused the two-factor code for {SandboxCredentials.TwoFactorLogin}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxCredentials.Password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectInteractiveAsync_WrongPassword_OneConfigLineWithoutThePassword()
    {
        await using var server = await SandboxHarness.StartAsync();
        var prompt = new ScriptedPrompt(Answers(server, password: "Wrong-Secret-9731"));

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.Connector().ConnectInteractiveAsync(prompt, TestClock.Running).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith($"YCLIENTS refused the login or password for {SandboxCredentials.Login}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-Secret-9731", error.Message + error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxCredentials.PartnerToken, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Empty(prompt.Choices);
    }

    [Fact]
    public async Task ConnectInteractiveAsync_WrongPartnerToken_ConfigAboutThePartnerToken()
    {
        await using var server = await SandboxHarness.StartAsync();
        var answers = Answers(server);
        answers["partner_token"] = "not-the-partner-token";

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.Connector().ConnectInteractiveAsync(new ScriptedPrompt(answers), TestClock.Running).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.StartsWith("YCLIENTS did not accept the partner token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-partner-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectInteractiveAsync_CompanyNotOfTheUser_ConfigFromThePrompt()
    {
        await using var server = await SandboxHarness.StartAsync();
        var answers = Answers(server);
        answers["company"] = server.Data.RestrictedCompanyId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => SandboxHarness.Connector().ConnectInteractiveAsync(new ScriptedPrompt(answers), TestClock.Running).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
    }

    [Fact]
    public void Plugin_ShipsNoPipelineTemplateAndNamesNoDestination()
    {
        var directory = Streams.StreamCatalog.PluginDirectory;
        Assert.False(Directory.Exists(Path.Combine(directory, "templates")));
        Assert.Empty(Directory.EnumerateFiles(directory, "*.scriban", SearchOption.AllDirectories));
        // String literals are stored as UTF-16 in the assembly: a destination named in code would show up here.
        var assembly = File.ReadAllBytes(typeof(YClientsConnector).Assembly.Location);
        foreach (var destination in new[] { "duckdb", "postgres", "clickhouse" })
        {
            var utf16 = System.Text.Encoding.Unicode.GetBytes(destination);
            Assert.True(assembly.AsSpan().IndexOf(utf16) < 0, $"the connector assembly names the destination '{destination}'");
        }
    }

    [Fact]
    public async Task ConnectInteractiveAsync_SettingsItReturns_ConnectWithTheReturnedSecrets()
    {
        await using var server = await SandboxHarness.StartAsync();
        var answers = Answers(server);
        answers["company"] = "1";
        var result = await SandboxHarness.Connector().ConnectInteractiveAsync(new ScriptedPrompt(answers), TestClock.Running);
        var config = (System.Text.Json.Nodes.JsonObject)result.Config.DeepClone();
        foreach (var (key, value) in result.Secrets)
        {
            config[key] = value;
        }

        config["requests_per_second"] = 1000;
        config["requests_per_minute"] = 100000;

        var read = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["staff"]));

        Assert.Equal(server.Data.Staff(server.Data.AccessibleCompanies[0].Id).Count, read.Rows("staff").Count);
    }
}
