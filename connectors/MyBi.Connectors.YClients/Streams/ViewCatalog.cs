using System.Text.Json;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;

namespace MyBi.Connectors.YClients.Streams;

/// <summary>
/// The analysis views, read from <c>views.json</c> shipped next to the plugin assembly: one description of each
/// view (name, what it counts in English and Russian, one SELECT every destination runs) in one place.
/// </summary>
internal static class ViewCatalog
{
    public static IReadOnlyList<ViewDescriptor> Load(string directory) => Parse(PluginFiles.Read(Path.Combine(directory, "views.json")));

    internal static IReadOnlyList<ViewDescriptor> Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.GetProperty("views").EnumerateArray().Select(view => new ViewDescriptor
            {
                Name = view.GetProperty("name").GetString()!,
                Sql = string.Join('\n', view.GetProperty("sql").EnumerateArray().Select(line => line.GetString())),
                Description = view.GetProperty("description").GetString() + " / " + view.GetProperty("x-description-ru").GetString(),
            }).ToList();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw MyBiException.System($"The YCLIENTS plugin is incomplete: views.json is not usable ({ex.Message}); reinstall the plugin.", ex);
        }
    }
}
