using McMaster.NETCore.Plugins;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;

namespace MyBi.Plugins.Hosting;

/// <summary>
/// The connector plugins in a set of folders: each plugin is a subfolder with a <c>plugin.json</c>, loaded into
/// its own load context that shares only the contract assembly with the host.
/// </summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<string, PluginInfo> _plugins;
    private readonly Dictionary<string, SourceConnector> _loaded = new(StringComparer.Ordinal);

    private PluginCatalog(Dictionary<string, PluginInfo> plugins, IReadOnlyList<string> problems, IReadOnlyList<string> searched)
    {
        _plugins = plugins;
        Problems = problems;
        SearchedDirectories = searched;
    }

    /// <summary>The contract version this host speaks.</summary>
    public static Version AbstractionsVersion { get; } = typeof(SourceConnector).Assembly.GetName().Version ?? new Version(1, 0);

    /// <summary>The plugins found, by id.</summary>
    public IReadOnlyCollection<PluginInfo> Plugins => _plugins.Values;

    /// <summary>Plugin folders that could not be used, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The folders that were searched.</summary>
    public IReadOnlyList<string> SearchedDirectories { get; }

    /// <summary>Scans folders (missing ones are skipped); the first plugin with a given id wins.</summary>
    public static PluginCatalog Discover(IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        var plugins = new Dictionary<string, PluginInfo>(StringComparer.Ordinal);
        var problems = new List<string>();
        var searched = new List<string>();
        foreach (var root in directories.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            searched.Add(root);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var manifestPath in Directory.EnumerateDirectories(root).Select(d => Path.Combine(d, "plugin.json")).Where(File.Exists).Order(StringComparer.Ordinal))
            {
                try
                {
                    var manifest = PluginManifest.Read(manifestPath);
                    CheckCompatible(manifest, manifestPath);
                    var info = new PluginInfo(manifest, Path.GetDirectoryName(manifestPath)!);
                    if (!File.Exists(info.AssemblyPath))
                    {
                        throw new InvalidDataException($"{manifestPath}: assembly '{manifest.Assembly}' is not in the plugin folder");
                    }

                    plugins.TryAdd(manifest.Id, info);
                }
                catch (InvalidDataException ex)
                {
                    problems.Add(ex.Message);
                }
            }
        }

        return new PluginCatalog(plugins, problems, searched);
    }

    /// <summary>Loads a connector by id (once per catalog). This runs the plugin's code.</summary>
    public SourceConnector GetConnector(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (_loaded.TryGetValue(id, out var connector))
        {
            return connector;
        }

        connector = Load(Find(id));
        _loaded[id] = connector;
        return connector;
    }

    /// <summary>
    /// What a connector accepts and offers, read from the schema files its <c>plugin.json</c> declares, without
    /// loading its assembly; null when the manifest declares no schema files.
    /// </summary>
    public PluginDescription? Describe(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return PluginDescription.Read(Find(id));
    }

    private PluginInfo Find(string id)
    {
        if (!_plugins.TryGetValue(id, out var info))
        {
            var available = _plugins.Count == 0 ? "none" : string.Join(", ", _plugins.Keys.Order(StringComparer.Ordinal));
            throw MyBiException.Config(
                $"No connector plugin '{id}' in {string.Join(", ", SearchedDirectories)} (found: {available}). Copy the plugin folder there or set plugins_dir.");
        }

        return info;
    }

    private static SourceConnector Load(PluginInfo info)
    {
        var loader = PluginLoader.CreateFromAssemblyFile(
            info.AssemblyPath,
            sharedTypes: [typeof(SourceConnector)],
            configure: config => config.PreferSharedTypes = true);
        var assembly = loader.LoadDefaultAssembly();
        var type = assembly.GetType(info.Manifest.EntryType, throwOnError: false)
            ?? throw MyBiException.Config($"Plugin '{info.Manifest.Id}': entry type '{info.Manifest.EntryType}' is not in {info.Manifest.Assembly}.");
        if (!typeof(SourceConnector).IsAssignableFrom(type))
        {
            throw MyBiException.Config($"Plugin '{info.Manifest.Id}': '{type.FullName}' does not derive from {typeof(SourceConnector).FullName}.");
        }

        var instance = Activator.CreateInstance(type) as SourceConnector
            ?? throw MyBiException.Config($"Plugin '{info.Manifest.Id}': '{type.FullName}' could not be created.");
        if (!string.Equals(instance.Name, info.Manifest.Id, StringComparison.Ordinal))
        {
            throw MyBiException.Config($"Plugin '{info.Manifest.Id}': its connector calls itself '{instance.Name}'; the manifest id and the connector name must match.");
        }

        return instance;
    }

    /// <summary>
    /// Whether the contract the plugin was built for is one this host speaks: it depends on the host, so no schema
    /// can state it. (The form of abstractionsVersion, major.minor, is the schema's rule.)
    /// </summary>
    private static void CheckCompatible(PluginManifest manifest, string manifestPath)
    {
        if (!Version.TryParse(manifest.AbstractionsVersion.Contains('.', StringComparison.Ordinal) ? manifest.AbstractionsVersion : manifest.AbstractionsVersion + ".0", out var wanted))
        {
            // Only a number beyond Int32 gets here past the schema's pattern.
            throw new InvalidDataException($"{manifestPath}: abstractionsVersion '{manifest.AbstractionsVersion}' is not a version");
        }

        // Contracts are abstract classes that only grow, so a plugin built against an older minor still works.
        if (wanted.Major != AbstractionsVersion.Major || wanted.Minor > AbstractionsVersion.Minor)
        {
            throw new InvalidDataException($"{manifestPath}: built for contract {wanted.Major}.{wanted.Minor}, this engine speaks {AbstractionsVersion.Major}.{AbstractionsVersion.Minor}");
        }
    }
}
