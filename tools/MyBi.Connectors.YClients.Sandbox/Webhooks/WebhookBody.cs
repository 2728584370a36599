using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Webhooks;

/// <summary>
/// <c>{company_id, resource, resource_id, status, data}</c> as YCLIENTS posts it (API-NOTES §4): <c>data</c> is the
/// object the API itself serves, with its quirks (<c>[]</c> for empty objects, money as strings where it does so).
/// </summary>
internal static class WebhookBody
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[]? Write(SandboxChange change)
    {
        var set = change.Set;
        Action<Utf8JsonWriter>? data = change.Resource switch
        {
            "record" when set.RecordsById.TryGetValue(change.ResourceId, out var record) =>
                w => RecordJson.Write(w, record, set, includeConsumables: false, includeFinance: false),
            "client" when set.ClientsById.TryGetValue(change.ResourceId, out var client) =>
                w => ClientJson.WriteSingle(w, client, set),
            _ => null,
        };
        if (data is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, s_options))
        {
            w.WriteStartObject();
            w.WriteNumber("company_id", set.Company.Id);
            w.WriteString("resource", change.Resource);
            w.WriteNumber("resource_id", change.ResourceId);
            w.WriteString("status", change.Status);
            w.WritePropertyName("data");
            data(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
