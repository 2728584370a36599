using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Connectors.YClients.Tests.Support;
using YamlDotNet.RepresentationModel;
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

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Config(YamlMappingNode root) => (YamlMappingNode)((YamlMappingNode)root["source"])["config"];

    [Fact]
    public async Task ConnectInteractiveAsync_LoginAndCompanyChoice_PipelineReferencesTokensAndSecretsHoldThem()
    {
        await using var server = await SandboxHarness.StartAsync();
        var company = server.Data.AccessibleCompanies[1];
        var answers = Answers(server);
        answers["company"] = company.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var prompt = new ScriptedPrompt(answers);

        var result = await SandboxHarness.Connector().ConnectInteractiveAsync(prompt, TestClock.Running);

        var root = Parse(result.PipelineYaml);
        var config = Config(root);
        Assert.Equal("${YCLIENTS_USER_TOKEN}", config["user_token"].ToString());
        Assert.Equal("${YCLIENTS_PARTNER_TOKEN}", config["partner_token"].ToString());
        Assert.Equal(company.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), config["company_id"].ToString());
        Assert.Equal(server.BaseUrl.AbsoluteUri, config["base_url"].ToString());
        Assert.False(config.Children.ContainsKey("password"));
        Assert.False(config.Children.ContainsKey("login"));
        Assert.DoesNotContain(SandboxCredentials.Password, result.PipelineYaml, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxCredentials.UserToken, result.PipelineYaml, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxCredentials.PartnerToken, result.PipelineYaml, StringComparison.Ordinal);
        Assert.Equal(14, ((YamlSequenceNode)((YamlMappingNode)root["source"])["streams"]).Children.Count);
        Assert.Equal($"yclients-{company.Id}", root["name"].ToString());
        Assert.Equal($"yclients-{company.Id}.yaml", result.SuggestedFileName);

        Assert.Equal(
            new Dictionary<string, string> { ["YCLIENTS_PARTNER_TOKEN"] = SandboxCredentials.PartnerToken, ["YCLIENTS_USER_TOKEN"] = SandboxCredentials.UserToken },
            result.Secrets);
        Assert.DoesNotContain(SandboxCredentials.Password, result.Secrets.Values);

        var choice = Assert.Single(prompt.Choices);
        Assert.Equal(server.Data.AccessibleCompanies.Count, choice.Options.Count);
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
        var prompt = new ScriptedPrompt(answers);

        var result = await SandboxHarness.Connector().ConnectInteractiveAsync(prompt, TestClock.Running);

        Assert.Equal(SandboxCredentials.TwoFactorUserToken, result.Secrets["YCLIENTS_USER_TOKEN"]);
        Assert.Contains(prompt.Asked, a => a.Key == "code");
        Assert.Equal(server.Data.AccessibleCompanies[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Config(Parse(result.PipelineYaml))["company_id"].ToString());
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
    public async Task ConnectInteractiveAsync_PipelineItWrites_ConnectsWithTheReturnedSecrets()
    {
        await using var server = await SandboxHarness.StartAsync();
        var result = await SandboxHarness.Connector().ConnectInteractiveAsync(new ScriptedPrompt(Answers(server)), TestClock.Running);
        var yaml = Config(Parse(result.PipelineYaml));
        var config = new System.Text.Json.Nodes.JsonObject
        {
            ["base_url"] = yaml["base_url"].ToString(),
            ["partner_token"] = result.Secrets[yaml["partner_token"].ToString()[2..^1]],
            ["user_token"] = result.Secrets[yaml["user_token"].ToString()[2..^1]],
            ["company_id"] = long.Parse(yaml["company_id"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
            ["requests_per_second"] = 1000,
            ["requests_per_minute"] = 100000,
        };

        var read = await SandboxHarness.ReadAsync(config, SandboxHarness.Request(["staff"]));

        Assert.Equal(server.Data.Staff(server.Data.AccessibleCompanies[0].Id).Count, read.Rows("staff").Count);
    }
}
