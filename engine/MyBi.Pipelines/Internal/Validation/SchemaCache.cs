using System.Collections.Concurrent;
using NJsonSchema;
using NJsonSchema.References;

namespace MyBi.Pipelines.Internal.Validation;

/// <summary>
/// Parses JSON Schema texts once per process. Only references inside the schema itself are followed: a schema
/// that points at files or URLs is refused, so validating a pipeline never reads the disk or the network.
/// </summary>
internal static class SchemaCache
{
    private static readonly ConcurrentDictionary<string, JsonSchema> s_schemas = new(StringComparer.Ordinal);

    public static bool TryGet(string schemaText, out JsonSchema? schema, out string? problem)
    {
        if (s_schemas.TryGetValue(schemaText, out schema))
        {
            problem = null;
            return true;
        }

        problem = Parse(schemaText, out schema);
        if (schema is not null)
        {
            s_schemas.TryAdd(schemaText, schema);
        }

        return schema is not null;
    }

    public static JsonSchema GetRequired(string schemaText) =>
        TryGet(schemaText, out var schema, out var problem) ? schema! : throw new InvalidOperationException("Built-in schema is invalid: " + problem);

    private static string? Parse(string schemaText, out JsonSchema? schema)
    {
        schema = null;
        Task<JsonSchema> parsing;
        try
        {
            parsing = JsonSchema.FromJsonAsync(schemaText, documentPath: null, LocalReferencesOnly.Create);
        }
        catch (Newtonsoft.Json.JsonException ex)
        {
            return "the schema is not valid JSON: " + ex.Message;
        }

        // With only local references there is no I/O, so parsing has finished by the time FromJsonAsync returns.
        // A task still running would mean an outside reference; it is refused rather than waited for.
        if (!parsing.IsCompleted)
        {
            return "the schema refers to other documents, which is not supported";
        }

        if (!parsing.IsCompletedSuccessfully)
        {
            var reason = parsing.Exception?.InnerException?.Message ?? "it could not be read";
            return "the schema could not be read: " + reason;
        }

        schema = parsing.GetAwaiter().GetResult();
        return null;
    }

    private sealed class LocalReferencesOnly : JsonReferenceResolver
    {
        private LocalReferencesOnly(JsonSchemaAppender appender)
            : base(appender)
        {
        }

        public static JsonReferenceResolver Create(JsonSchema schema) =>
            new LocalReferencesOnly(new JsonSchemaAppender(schema, new DefaultTypeNameGenerator()));

        public override Task<IJsonReference> ResolveFileReferenceAsync(string filePath, CancellationToken cancellationToken = default) =>
            Task.FromException<IJsonReference>(new NotSupportedException($"reference to a file ({filePath}) is not supported"));

        public override Task<IJsonReference> ResolveUrlReferenceAsync(string url, CancellationToken cancellationToken = default) =>
            Task.FromException<IJsonReference>(new NotSupportedException($"reference to a URL ({url}) is not supported"));
    }
}
