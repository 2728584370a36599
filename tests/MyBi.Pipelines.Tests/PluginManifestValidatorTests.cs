namespace MyBi.Pipelines.Tests;

public sealed class PluginManifestValidatorTests
{
    [Theory]
    [InlineData("manifests/yclients/plugin.json")]
    [InlineData("examples/plugin-manifests/valid/echo.plugin.json")]
    public void Validate_ShippedManifests_Valid(string relative)
    {
        var errors = PluginManifestValidator.Validate(Path.Combine(AppContext.BaseDirectory, relative));

        Assert.Empty(errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_BrokenManifest_EveryProblemPositioned()
    {
        var errors = PluginManifestValidator.Validate(Path.Combine(TestFiles.Examples, "plugin-manifests", "invalid", "broken.plugin.json"));

        Assert.Equal(
            [
                "1:1: entryType: is required",
                "2:9: id: must be lowercase letters, digits, '_', '.' and '-', starting with a letter or digit",
                "3:14: version: must be a version such as 1.2.0",
                "5:3: entry_type: unknown key 'entry_type'; did you mean 'entryType'?",
                "6:26: abstractionsVersion: expected a string",
            ],
            TestFiles.Describe(errors));
    }

    [Fact]
    public void ValidateText_SchemaPathsOutsideThePluginFolder_Refused()
    {
        var errors = PluginManifestValidator.ValidateText("""
            {"id": "x", "version": "1.0.0", "assembly": "X.dll", "entryType": "X.C", "abstractionsVersion": "1.0",
             "schemas": {"config": "../config.schema.json", "streams": "/etc", "reports": "reports"}}
            """, "plugin.json");

        Assert.Equal(
            [
                "2:24: schemas.config: must be a path inside the plugin folder",
                "2:60: schemas.streams: must be a path inside the plugin folder",
            ],
            TestFiles.Describe(errors));
    }

    [Fact]
    public void ValidateText_NotJson_PositionedSyntaxError()
    {
        var error = Assert.Single(PluginManifestValidator.ValidateText("{\n  \"id\": \"x\"\n  \"version\": \"1.0.0\"\n}", "plugin.json"));

        Assert.Equal(("plugin.json", 3, "(json)"), (error.File, error.Line, error.Path));
        Assert.StartsWith("not valid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingFile_LineZero()
    {
        var error = Assert.Single(PluginManifestValidator.Validate(Path.Combine(Path.GetTempPath(), $"none-{Guid.NewGuid():N}", "plugin.json")));

        Assert.Equal((0, "(file)", "manifest not found"), (error.Line, error.Path, error.Message));
    }

    [Fact]
    public void PipelineSchemas_EmbeddedTexts_MatchTheSchemaFiles()
    {
        Assert.Contains("\"x-secret\": true", PipelineSchemas.Pipeline, StringComparison.Ordinal);
        Assert.Contains("\"abstractionsVersion\"", PipelineSchemas.PluginManifest, StringComparison.Ordinal);
    }
}
