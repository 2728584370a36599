using MyBi.Abstractions.Errors;

namespace MyBi.Connectors.YClients.Streams;

/// <summary>The data files the plugin ships beside its assembly (schemas, templates).</summary>
internal static class PluginFiles
{
    /// <summary>Reads a shipped file; a missing one means a broken install, not a user mistake.</summary>
    public static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw MyBiException.System($"The YCLIENTS plugin is incomplete: cannot read {path} ({ex.Message}); reinstall the plugin.", ex);
        }
    }
}
