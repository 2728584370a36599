using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox.Data;

namespace MyBi.Connectors.YClients.Sandbox.Json;

/// <summary>The webhook settings object.</summary>
internal static class HooksJson
{
    public static void Write(Utf8JsonWriter w, HooksSettings settings)
    {
        w.WriteStartObject();
        w.WriteStartArray("urls");
        foreach (var url in settings.Urls)
        {
            w.WriteStringValue(url);
        }

        w.WriteEndArray();
        w.WriteNumber("active", settings.Active);
        foreach (var name in HooksSettings.FlagNames)
        {
            w.WriteNumber(name, settings.Flags.GetValueOrDefault(name));
        }

        w.WriteEndObject();
    }
}
