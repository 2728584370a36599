using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MyBi.Connectors.YClients.Sandbox.Json;

/// <summary>Writes the <c>{success, data, meta}</c> envelope.</summary>
internal static class Envelope
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A single object: <c>meta</c> is the PHP empty array.</summary>
    public static Task ObjectAsync(HttpContext context, Action<Utf8JsonWriter> writeData, int statusCode = 200) =>
        WriteAsync(context, statusCode, true, writeData, null);

    public static Task ListAsync<T>(HttpContext context, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeItem, Action<Utf8JsonWriter>? writeMeta) =>
        WriteAsync(context, 200, true, writer =>
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                writeItem(writer, item);
            }

            writer.WriteEndArray();
        }, writeMeta);

    public static Task ErrorAsync(HttpContext context, int statusCode, string message, IReadOnlyDictionary<string, string[]>? errors = null) =>
        WriteAsync(context, statusCode, false, writer => writer.WriteNullValue(), writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("message", message);
            if (errors is not null)
            {
                writer.WriteStartObject("errors");
                foreach (var (field, messages) in errors)
                {
                    writer.WriteStartArray(field);
                    foreach (var text in messages)
                    {
                        writer.WriteStringValue(text);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        });

    public static Action<Utf8JsonWriter> PageMeta(int page, int totalCount) => writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("page", page);
        writer.WriteNumber("total_count", totalCount);
        writer.WriteEndObject();
    };

    public static Action<Utf8JsonWriter> TotalCountMeta(int totalCount) => writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("total_count", totalCount);
        writer.WriteEndObject();
    };

    public static Action<Utf8JsonWriter> CountMeta(int count) => writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("count", count);
        writer.WriteEndObject();
    };

    private static async Task WriteAsync(HttpContext context, int statusCode, bool success, Action<Utf8JsonWriter> writeData, Action<Utf8JsonWriter>? writeMeta)
    {
        using var buffer = new PooledBufferWriter(4096);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("success", success);
            writer.WritePropertyName("data");
            writeData(writer);
            writer.WritePropertyName("meta");
            if (writeMeta is null)
            {
                writer.WriteStartArray();
                writer.WriteEndArray();
            }
            else
            {
                writeMeta(writer);
            }

            writer.WriteEndObject();
        }

        var response = context.Response;
        response.StatusCode = statusCode;
        // YCLIENTS names the media type alone (the Blueprint's "application/json"); UTF-8 is JSON's own encoding.
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
