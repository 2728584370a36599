using System.Text.Json.Nodes;

namespace MyBi.Connectors.YClients.Tests.Support;

/// <summary>The sample answers copied from the shared YCLIENTS notes into Samples/.</summary>
internal static class Samples
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    public static JsonObject Json(string name) => JsonNode.Parse(Text(name))!.AsObject();
}
