namespace MyBi.Cli.Hosting;

/// <summary>
/// Secrets kept beside a pipeline, out of the pipeline file: <c>.mybi/secrets.env</c> in the pipeline's folder,
/// one <c>NAME=value</c> per line, readable by its owner only. Environment variables take precedence.
/// </summary>
internal static class SecretsFile
{
    public static string PathFor(string pipelineDirectory) => Path.Combine(pipelineDirectory, ".mybi", "secrets.env");

    public static IReadOnlyDictionary<string, string> Read(string pipelineDirectory)
    {
        var path = PathFor(pipelineDirectory);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

        foreach (var line in File.ReadAllLines(path))
        {
            var trimmed = line.Trim();
            var eq = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (trimmed.Length == 0 || trimmed.StartsWith('#') || eq <= 0)
            {
                continue;
            }

            values[trimmed[..eq].Trim()] = trimmed[(eq + 1)..];
        }

        return values;
    }

    /// <summary>Adds or replaces values, creating the file with owner-only permissions.</summary>
    public static string Write(string pipelineDirectory, IReadOnlyDictionary<string, string> secrets)
    {
        var path = PathFor(pipelineDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var merged = new Dictionary<string, string>(Read(pipelineDirectory), StringComparer.Ordinal);
        foreach (var (key, value) in secrets)
        {
            merged[key] = value;
        }

        var lines = new List<string> { "# Secrets referenced by pipeline files in the folder above. Keep this file out of version control." };
        lines.AddRange(merged.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
        File.WriteAllLines(path, lines);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(Path.Combine(Path.GetDirectoryName(path)!, ".gitignore"), "*\n");
        return path;
    }
}
