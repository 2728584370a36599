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
    public void Parse_CompanyIdsWithDuplicates_ConfigErrorAsTheSchemaSays()
    {
        var config = new JsonObject { ["partner_token"] = "p", ["user_token"] = "u", ["company_ids"] = new JsonArray(2, 3, 2) };

        var error = Assert.Throws<MyBiException>(() => YClientsOptions.Parse(config));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Equal("YCLIENTS source config: company_ids must not list the same value twice.", error.Message);
    }

    [Fact]
    public void Parse_CompanyIds_KeptInOrder()
    {
        var config = new JsonObject { ["partner_token"] = "p", ["user_token"] = "u", ["company_ids"] = new JsonArray(3, 2) };

        Assert.Equal([3L, 2L], YClientsOptions.Parse(config).CompanyIds);
    }

    [Theory]
    [InlineData("partner_token")]
    [InlineData("user_token")]
    public void Parse_BlankToken_ConfigErrorNamingIt(string key)
    {
        var config = new JsonObject { ["partner_token"] = "p", ["user_token"] = "u", [key] = "   " };

        var error = Assert.Throws<MyBiException>(() => YClientsOptions.Parse(config));

        Assert.Equal($"YCLIENTS source config: {key} must not be blank.", error.Message);
    }

    [Fact]
    public void Parse_SeveralProblems_AllInOneLine()
    {
        var config = new JsonObject { ["partner_token"] = "p", ["user_token"] = "u", ["page_size"] = 0, ["base_url"] = "ftp://x", ["lookback_days"] = "3" };

        var error = Assert.Throws<MyBiException>(() => YClientsOptions.Parse(config));

        Assert.Contains("page_size must be between 1 and 300", error.Message, StringComparison.Ordinal);
        Assert.Contains("base_url must be an http:// or https:// address", error.Message, StringComparison.Ordinal);
        Assert.Contains("lookback_days must be an integer", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    /// <summary>
    /// A bound stated only by the schema: the same config passes or fails as the schema text says, so the code holds
    /// no second copy of it that could drift.
    /// </summary>
    [Fact]
    public void Parse_BoundChangedInTheSchemaOnly_FollowsTheSchema()
    {
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "config.schema.json"));
        var stricter = Stricter(shipped);
        var config = new JsonObject { ["partner_token"] = "p", ["user_token"] = "u", ["page_size"] = 260 };

        Assert.Equal(260, YClientsOptions.Parse(config, ConfigSchema.Of(shipped)).PageSize);
        var error = Assert.Throws<MyBiException>(() => YClientsOptions.Parse(config, ConfigSchema.Of(stricter)));
        Assert.Equal("YCLIENTS source config: page_size must be between 1 and 250.", error.Message);
    }

    [Fact]
    public void Parse_DefaultChangedInTheSchemaOnly_FollowsTheSchema()
    {
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "config.schema.json"));
        var changed = JsonNode.Parse(shipped)!.AsObject();
        changed["properties"]!["lookback_days"]!["default"] = 9;
        changed["properties"]!["max_response_mb"]!["default"] = 7;

        var options = YClientsOptions.Parse(new JsonObject { ["partner_token"] = "p", ["user_token"] = "u" }, ConfigSchema.Of(changed.ToJsonString()));

        Assert.Equal(9, options.LookbackDays);
        Assert.Equal(7L * 1024 * 1024, options.MaxResponseBytes);
    }

    /// <summary>The shipped schema with page_size capped at 250 instead of 300.</summary>
    internal static string Stricter(string schema)
    {
        var root = JsonNode.Parse(schema)!.AsObject();
        Assert.Equal(300, root["properties"]!["page_size"]!["maximum"]!.GetValue<int>());
        root["properties"]!["page_size"]!["maximum"] = 250;
        return root.ToJsonString();
    }
}
