namespace MyBi.Hosting;

/// <summary>Where connector plugins are looked for, in order: the pipeline's plugins_dir (or --plugins-dir), MYBI_PLUGINS_PATH, and plugins/ beside the program.</summary>
public static class PluginDirectories
{
    public const string EnvironmentVariable = "MYBI_PLUGINS_PATH";

    public static IReadOnlyList<string> Resolve(string? pipelinePluginsDirectory) => Resolve(pipelinePluginsDirectory, Environment.GetEnvironmentVariable);

    /// <summary>The folders to search, reading <c>MYBI_PLUGINS_PATH</c> through <paramref name="environment"/>.</summary>
    public static IReadOnlyList<string> Resolve(string? pipelinePluginsDirectory, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var list = new List<string>();
        if (!string.IsNullOrWhiteSpace(pipelinePluginsDirectory))
        {
            list.Add(pipelinePluginsDirectory);
        }

        var fromEnvironment = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            list.AddRange(fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        // Not ./plugins of the working directory: whoever can write a folder where mybi happens to run must not
        // get code loaded into it. A pipeline that wants such a folder names it in plugins_dir.
        list.Add(Path.Combine(AppContext.BaseDirectory, "plugins"));
        return list;
    }
}
