using System.Security.Cryptography;
using System.Text;
using MyBi.Abstractions.Errors;
using MyBi.Hosting;

namespace MyBi.Server;

/// <summary>
/// The secret part of a pipeline's webhook URL, kept in the secrets file beside the pipeline (never in the pipeline
/// file) under <c>MYBI_HOOK_SECRET_&lt;NAME&gt;</c>; an environment variable of that name takes precedence.
/// </summary>
public static class HookSecrets
{
    /// <summary>The variable that holds the secret of the pipeline <paramref name="pipeline"/>.</summary>
    public static string VariableFor(string pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var name = new StringBuilder("MYBI_HOOK_SECRET_");
        foreach (var c in pipeline)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return name.ToString();
    }

    /// <summary>The pipeline's secret, or null when none was created.</summary>
    public static string? Find(LoadedPipeline pipeline, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(environment);
        var variable = VariableFor(pipeline.Definition.Name);
        return environment(variable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : SecretsFile.Read(pipeline.Definition.BaseDirectory).GetValueOrDefault(variable);
    }

    /// <summary>The pipeline's secret, created (32 random bytes, URL-safe) and stored the first time.</summary>
    public static string GetOrCreate(LoadedPipeline pipeline, Func<string, string?> environment)
    {
        if (Find(pipeline, environment) is { } existing)
        {
            return existing;
        }

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        SecretsFile.Write(pipeline.Definition.BaseDirectory, new Dictionary<string, string> { [VariableFor(pipeline.Definition.Name)] = secret });
        return secret;
    }

    /// <summary>The secret for <c>mybi serve</c>; a Config error tells how to create it.</summary>
    public static string Require(LoadedPipeline pipeline, Func<string, string?> environment) =>
        Find(pipeline, environment) ?? throw MyBiException.Config(
            $"Pipeline '{pipeline.Definition.Name}' has no webhook secret yet: run 'mybi hooks url' for it first.");

    /// <summary>The path of a pipeline's webhook URL: <c>/hooks/NAME/SECRET</c>.</summary>
    public static string PathOf(string pipeline, string secret) => $"/hooks/{Uri.EscapeDataString(pipeline)}/{secret}";
}
