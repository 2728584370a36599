namespace MyBi.Cli.Hosting;

/// <summary>Where connector plugins are looked for, in order.</summary>
internal static class PluginDirectories
{
    public const string EnvironmentVariable = "MYBI_PLUGINS_PATH";

    public static IReadOnlyList<string> Resolve(string? pipelinePluginsDirectory)
    {
        var list = new List<string>();
        if (!string.IsNullOrWhiteSpace(pipelinePluginsDirectory))
        {
            list.Add(pipelinePluginsDirectory);
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            list.AddRange(fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        list.Add(Path.Combine(AppContext.BaseDirectory, "plugins"));
        list.Add(Path.Combine(Environment.CurrentDirectory, "plugins"));
        return list;
    }
}
