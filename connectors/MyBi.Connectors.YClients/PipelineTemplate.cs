using System.Text.RegularExpressions;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Streams;
using Scriban;
using Scriban.Runtime;

namespace MyBi.Connectors.YClients;

/// <summary>Renders a ready YCLIENTS pipeline file from <c>templates/pipeline.yaml.scriban</c>.</summary>
public static partial class PipelineTemplate
{
    private static readonly string[] s_destinations = ["duckdb", "postgres", "clickhouse"];

    /// <summary>Renders the pipeline YAML; throws a Config error for an invalid model.</summary>
    public static string Render(PipelineTemplateModel model) => Render(model, StreamCatalog.PluginDirectory);

    internal static string Render(PipelineTemplateModel model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        Require(NameRule().IsMatch(model.Name), $"pipeline name '{model.Name}' may hold only lowercase letters, digits, '_' and '-'");
        Require(EnvRule().IsMatch(model.EnvPrefix), $"environment prefix '{model.EnvPrefix}' may hold only A-Z, digits and '_'");
        Require(s_destinations.Contains(model.DestinationType), $"destination type '{model.DestinationType}' is not one of {string.Join(", ", s_destinations)}");
        Require(model.CompanyIds.All(id => id > 0), "company ids must be positive");
        Require(
            model.BaseUrl is null
                || (Uri.TryCreate(model.BaseUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) && SafeUrlRule().IsMatch(model.BaseUrl)),
            $"base URL '{model.BaseUrl}' is not a plain http(s) URL");
        Require(model.LookbackDays >= 0 && model.FirstRunDays >= 1, "lookback_days must be 0 or more and first_run_days 1 or more");
        var streams = model.Streams.Count == 0 ? StreamNames.All : model.Streams;
        foreach (var stream in streams)
        {
            Require(StreamNames.All.Contains(stream), $"'{stream}' is not a YCLIENTS stream");
        }

        var path = Path.Combine(directory, "templates", "pipeline.yaml.scriban");
        var template = Template.Parse(File.ReadAllText(path), path);
        if (template.HasErrors)
        {
            throw MyBiException.System($"The YCLIENTS pipeline template is broken: {string.Join("; ", template.Messages)}");
        }

        var globals = new ScriptObject
        {
            ["name"] = model.Name,
            ["base_url"] = model.BaseUrl is null ? null : "'" + model.BaseUrl + "'",
            ["company_ids"] = model.CompanyIds.ToArray(),
            ["use_login"] = model.UseLogin,
            ["streams"] = streams.Distinct(StringComparer.Ordinal).ToArray(),
            ["destination_type"] = model.DestinationType,
            ["duckdb_path"] = "'" + model.DuckDbPath.Replace("'", "''", StringComparison.Ordinal) + "'",
            ["env_prefix"] = model.EnvPrefix,
            ["lookback_days"] = model.LookbackDays,
            ["first_run_days"] = model.FirstRunDays,
        };
        var context = new TemplateContext { StrictVariables = true };
        context.PushGlobal(globals);
        return template.Render(context);
    }

    private static void Require(bool condition, string reason)
    {
        if (!condition)
        {
            throw MyBiException.Config($"Cannot write the YCLIENTS pipeline: {reason}.");
        }
    }

    // The pipeline schema's rule for names.
    [GeneratedRegex("^[a-z0-9_-]+$")]
    private static partial Regex NameRule();

    // Written single-quoted into YAML: no quote, space, control character or '#'.
    [GeneratedRegex(@"^[^\s'#]+$")]
    private static partial Regex SafeUrlRule();

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    private static partial Regex EnvRule();
}
