namespace MyBi.Hosting;

/// <summary>
/// Secrets kept beside a pipeline, out of the pipeline file: <c>.mybi/secrets.env</c> in the pipeline's folder,
/// one <c>NAME=value</c> per line, readable by its owner only. Environment variables take precedence.
/// </summary>
public static class SecretsFile
{
    /// <summary>The secrets file of a pipeline folder.</summary>
    public static string PathFor(string pipelineDirectory) => Path.Combine(pipelineDirectory, ".mybi", "secrets.env");

    /// <summary>The secrets kept beside the pipeline file at <paramref name="pipelinePath"/>; empty when there are none or the path is not valid.</summary>
    public static IReadOnlyDictionary<string, string> ReadBeside(string pipelinePath)
    {
        try
        {
            return Path.GetDirectoryName(Path.GetFullPath(pipelinePath)) is { } folder ? Read(folder) : new Dictionary<string, string>();
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            // The parser reports the path itself; there is nothing beside it to read.
            return new Dictionary<string, string>();
        }
    }

    /// <summary>The secrets kept in <paramref name="pipelineDirectory"/>; empty when there is no secrets file.</summary>
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
        var folder = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            // Owner-only from the first moment: a mode set after creation leaves a window in which others can read.
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var merged = new Dictionary<string, string>(Read(pipelineDirectory), StringComparer.Ordinal);
        foreach (var (key, value) in secrets)
        {
            merged[key] = value;
        }

        var lines = new List<string> { "# Secrets referenced by pipeline files in the folder above. Keep this file out of version control." };
        lines.AddRange(merged.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), options))
        {
            foreach (var line in lines)
            {
                writer.WriteLine(line);
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to a new file; one left by an older version may still be readable by others.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(Path.Combine(folder, ".gitignore"), "*\n");
        return path;
    }
}
