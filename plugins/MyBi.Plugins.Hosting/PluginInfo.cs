namespace MyBi.Plugins.Hosting;

/// <summary>A plugin found on disk (not loaded yet).</summary>
public sealed class PluginInfo
{
    internal PluginInfo(PluginManifest manifest, string directory)
    {
        Manifest = manifest;
        Directory = directory;
    }

    /// <summary>Its manifest.</summary>
    public PluginManifest Manifest { get; }

    /// <summary>Its folder.</summary>
    public string Directory { get; }

    /// <summary>The full path of its assembly.</summary>
    public string AssemblyPath => Path.GetFullPath(Path.Combine(Directory, Manifest.Assembly));
}
