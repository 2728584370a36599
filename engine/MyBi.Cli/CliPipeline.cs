using MyBi.Cli.Output;
using MyBi.Hosting;

namespace MyBi.Cli;

/// <summary>
/// Loading a pipeline from a command: the process's environment and clock go in; out comes the pipeline and the
/// redactor of everything printed from then on, or <see cref="InvalidPipelineException"/>, which
/// <see cref="CommandRunner"/> prints.
/// </summary>
internal static class CliPipeline
{
    public static (LoadedPipeline Pipeline, Redactor Redactor) Load(
        string path, Action<Redactor> useRedactor, PluginLoading plugins = PluginLoading.Load, SourceCredentials credentials = SourceCredentials.Required)
    {
        var loaded = new PipelineLoader(EngineClock.Current, Environment.GetEnvironmentVariable).Load(path, plugins, credentials).GetPipelineOrThrow();
        var redactor = new Redactor(loaded.Redactor);
        useRedactor(redactor);
        return (loaded, redactor);
    }
}
