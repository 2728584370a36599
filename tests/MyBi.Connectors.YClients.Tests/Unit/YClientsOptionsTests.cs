using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Configuration;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class YClientsOptionsTests
{
    [Fact]
    public void Parse_Minimal_AppliesDocumentedDefaults()
    {
        var options = YClientsOptions.Parse(new JsonObject { ["partner_token"] = "p", ["user_token"] = "u", ["company_id"] = 7 });

        Assert.Equal("https://api.yclients.com/api/v1", options.BaseUrl.AbsoluteUri);
        Assert.Equal([7L], options.CompanyIds);
        Assert.Equal(200, options.PageSize);
        Assert.Equal(3, options.LookbackDays);
        Assert.Equal(2, options.FirstRunDays);
        Assert.Equal(5, options.RequestsPerSecond);
        Assert.Equal(200, options.RequestsPerMinute);
        Assert.Equal(5, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal("api.yclients.com:443", options.Endpoint);
    }

    [Fact]
    public void Parse_NeitherUserTokenNorLogin_ConfigError()
    {
        var error = Assert.Throws<MyBiException>(() => YClientsOptions.Parse(new JsonObject { ["partner_token"] = "p" }));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("user_token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LoginWithoutPassword_ConfigError()
    {
        var error = Assert.Throws<MyBiException>(() => YClientsOptions.Parse(new JsonObject { ["partner_token"] = "p", ["login"] = "x" }));

        Assert.Equal(FailureKind.Config, error.Kind);
    }

    [Fact]
    public void Parse_CompanyIdAndCompanyIds_ConfigError()
    {
        var config = new JsonObject { ["partner_token"] = "p", ["user_token"] = "u", ["company_id"] = 1, ["company_ids"] = new JsonArray(2, 3) };

        var error = Assert.Throws<MyBiException>(() => YClientsOptions.Parse(config));

        Assert.Contains("company_ids", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PageSizeAboveRecordsMaximum_ConfigError()
    {
        var config = new JsonObject { ["partner_token"] = "p", ["user_token"] = "u", ["page_size"] = 500 };

        var error = Assert.Throws<MyBiException>(() => YClientsOptions.Parse(config));

        Assert.Contains("page_size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SizeCaps_DefaultToThirtyTwoMegabytesAndSixtyFourKilocharacters()
    {
        var options = YClientsOptions.Parse(new JsonObject { ["partner_token"] = "p", ["user_token"] = "u" });

        Assert.Equal(32L * 1024 * 1024, options.MaxResponseBytes);
        Assert.Equal(65_536, options.MaxTextLength);
    }

    [Theory]
    [InlineData("max_response_mb", 0)]
    [InlineData("max_response_mb", 2048)]
    [InlineData("max_text_length", 10)]
    public void Parse_SizeCapOutOfRange_ConfigErrorNamingIt(string key, int value)
    {
        var config = new JsonObject { ["partner_token"] = "p", ["user_token"] = "u", [key] = value };

        var error = Assert.Throws<MyBiException>(() => YClientsOptions.Parse(config));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownKey_ConfigErrorWithoutSecretValues()
    {
        var config = new JsonObject { ["partner_token"] = "secret-p", ["user_token"] = "secret-u", ["pasword"] = "typo" };

        var error = Assert.Throws<MyBiException>(() => YClientsOptions.Parse(config));

        Assert.Contains("pasword", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CompanyIdsWithDuplicates_KeepsEachOnce()
    {
        var config = new JsonObject { ["partner_token"] = "p", ["user_token"] = "u", ["company_ids"] = new JsonArray(2, 3, 2) };

        Assert.Equal([2L, 3L], YClientsOptions.Parse(config).CompanyIds);
    }
}
