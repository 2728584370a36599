using MyBi.Abstractions.Errors;
using YamlDotNet.RepresentationModel;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class PipelineTemplateTests
{
    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Config(YamlMappingNode root) => (YamlMappingNode)((YamlMappingNode)root["source"])["config"];

    [Fact]
    public void Render_LoginChain_ReferencesEnvironmentForEverySecret()
    {
        var yaml = PipelineTemplate.Render(new PipelineTemplateModel
        {
            Name = "salon-chain",
            UseLogin = true,
            CompanyIds = [100001, 100002],
            Streams = ["records", "record_services"],
        });

        var root = Parse(yaml);
        var config = Config(root);
        Assert.Equal("salon-chain", root["name"].ToString());
        Assert.Equal("yclients", ((YamlMappingNode)root["source"])["connector"].ToString());
        Assert.Equal("${YCLIENTS_PARTNER_TOKEN}", config["partner_token"].ToString());
        Assert.Equal("${YCLIENTS_LOGIN}", config["login"].ToString());
        Assert.Equal("${YCLIENTS_PASSWORD}", config["password"].ToString());
        Assert.False(config.Children.ContainsKey("user_token"));
        Assert.Equal(["100001", "100002"], ((YamlSequenceNode)config["company_ids"]).Select(n => n.ToString()));
        Assert.Equal(["records", "record_services"], ((YamlSequenceNode)((YamlMappingNode)root["source"])["streams"]).Select(s => s.ToString()));
    }

    [Fact]
    public void Render_Defaults_UserTokenOneDuckDbAndEveryStream()
    {
        var yaml = PipelineTemplate.Render(new PipelineTemplateModel { CompanyIds = [100001], EnvPrefix = "SALON" });

        var root = Parse(yaml);
        var config = Config(root);
        Assert.Equal("${SALON_USER_TOKEN}", config["user_token"].ToString());
        Assert.Equal("100001", config["company_id"].ToString());
        Assert.False(config.Children.ContainsKey("password"));
        Assert.Equal(14, ((YamlSequenceNode)((YamlMappingNode)root["source"])["streams"]).Children.Count);
        Assert.False(config.Children.ContainsKey("base_url"));
        Assert.Equal("yclients.duckdb", ((YamlMappingNode)root["destination"])["path"].ToString());
    }

    [Fact]
    public void Render_BaseUrlAndPostgres_WritesBaseUrlAndAConnectionReference()
    {
        var yaml = PipelineTemplate.Render(new PipelineTemplateModel { BaseUrl = "http://127.0.0.1:5080/api/v1", DestinationType = "postgres" });

        var root = Parse(yaml);
        Assert.Equal("http://127.0.0.1:5080/api/v1", Config(root)["base_url"].ToString());
        Assert.Equal("${YCLIENTS_DESTINATION_CONNECTION}", ((YamlMappingNode)root["destination"])["connection"].ToString());
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("x: y")]
    [InlineData("Salon")]
    public void Render_UnsafeName_ConfigError(string name)
    {
        var error = Assert.Throws<MyBiException>(() => PipelineTemplate.Render(new PipelineTemplateModel { Name = name }));

        Assert.Equal(FailureKind.Config, error.Kind);
    }

    [Theory]
    [InlineData("ftp://example.com/api/v1")]
    [InlineData("http://example.com/api/v1' # x")]
    public void Render_UnsafeBaseUrl_ConfigError(string url)
    {
        var error = Assert.Throws<MyBiException>(() => PipelineTemplate.Render(new PipelineTemplateModel { BaseUrl = url }));

        Assert.Equal(FailureKind.Config, error.Kind);
    }

    [Fact]
    public void Render_UnknownStream_ConfigError()
    {
        Assert.Throws<MyBiException>(() => PipelineTemplate.Render(new PipelineTemplateModel { Streams = ["appointments"] }));
    }
}
