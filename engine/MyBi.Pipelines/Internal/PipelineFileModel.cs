using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MyBi.Pipelines.Internal;

// A pipeline file as pipeline.schema.json describes it. The schema states every rule; these records only give the
// validated document types to bind to, so they carry no checks of their own.

internal sealed record PipelineFileModel(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("source")] SourceModel Source,
    [property: JsonPropertyName("destination")] JsonObject Destination,
    [property: JsonPropertyName("plan")] PlanModel? Plan,
    [property: JsonPropertyName("sync")] SyncModel? Sync,
    [property: JsonPropertyName("rules")] RuleLimitsModel? Rules,
    [property: JsonPropertyName("reports")] IReadOnlyList<ReportModel>? Reports,
    [property: JsonPropertyName("plugins_dir")] string? PluginsDir)
{
    [JsonPropertyName("retention")]
    public RetentionModel? Retention { get; init; }

    [JsonPropertyName("reconcile")]
    public ReconcileModel? Reconcile { get; init; }

    [JsonPropertyName("schedule")]
    public ScheduleModel? Schedule { get; init; }

    [JsonPropertyName("scheduler")]
    public SchedulerModel? Scheduler { get; init; }
}

internal sealed record ReconcileModel(
    [property: JsonPropertyName("streams")] IReadOnlyList<string>? Streams,
    [property: JsonPropertyName("window_days")] int? WindowDays,
    [property: JsonPropertyName("reload")] bool? Reload,
    [property: JsonPropertyName("max_named_rows")] int? MaxNamedRows);

internal sealed record ScheduleModel(
    [property: JsonPropertyName("sync")] string? Sync,
    [property: JsonPropertyName("reports")] IReadOnlyDictionary<string, string>? Reports,
    [property: JsonPropertyName("reconcile")] string? Reconcile,
    [property: JsonPropertyName("retention")] string? Retention,
    [property: JsonPropertyName("timezone")] string? TimeZone);

internal sealed record SchedulerModel(
    [property: JsonPropertyName("store")] string Store,
    [property: JsonPropertyName("connection")] string? Connection,
    [property: JsonPropertyName("checkin_interval")] double? CheckinInterval);

internal sealed record RetentionModel(
    [property: JsonPropertyName("days")] int Days,
    [property: JsonPropertyName("tables")] IReadOnlyList<string>? Tables,
    [property: JsonPropertyName("by")] string? By);

internal sealed record SourceModel(
    [property: JsonPropertyName("connector")] string Connector,
    [property: JsonPropertyName("config")] JsonObject? Config,
    [property: JsonPropertyName("streams")] IReadOnlyList<StreamEntryModel>? Streams,
    [property: JsonPropertyName("filters")] IReadOnlyDictionary<string, JsonObject>? Filters);

/// <summary>An entry of <c>source.streams</c>: the schema allows a bare name or a mapping with name and transform.</summary>
[JsonConverter(typeof(StreamEntryConverter))]
internal sealed record StreamEntryModel(string Name, string? Transform);

internal sealed record PlanModel(
    [property: JsonPropertyName("history_days")] int? HistoryDays,
    [property: JsonPropertyName("rows_per_month")] long? RowsPerMonth);

internal sealed record SyncModel(
    [property: JsonPropertyName("batch_size")] int? BatchSize,
    [property: JsonPropertyName("lookback_days")] int? LookbackDays);

internal sealed record RuleLimitsModel(
    [property: JsonPropertyName("timeout_ms")] long? TimeoutMilliseconds,
    [property: JsonPropertyName("max_statements")] long? MaxStatements,
    [property: JsonPropertyName("max_memory_mb")] long? MaxMemoryMegabytes,
    [property: JsonPropertyName("max_recursion")] int? MaxRecursion,
    [property: JsonPropertyName("max_tables")] int? MaxTables);

internal sealed record ReportModel(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("fields")] IReadOnlyList<string>? Fields,
    [property: JsonPropertyName("refresh")] RefreshModel? Refresh,
    [property: JsonPropertyName("fix_structure")] bool? FixStructure,
    [property: JsonPropertyName("rules")] string? Rules,
    [property: JsonPropertyName("on_error")] ReportErrorMode? OnError);

internal sealed record RefreshModel([property: JsonPropertyName("lookback_days")] int? LookbackDays);

internal sealed class StreamEntryConverter : JsonConverter<StreamEntryModel>
{
    public override StreamEntryModel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new StreamEntryModel(reader.GetString()!, null);
        }

        var entry = JsonSerializer.Deserialize(ref reader, PipelineFileJsonContext.Default.StreamEntryMapping)
            ?? throw new JsonException("expected a stream name or a mapping");
        return new StreamEntryModel(entry.Name, entry.Transform);
    }

    public override void Write(Utf8JsonWriter writer, StreamEntryModel value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Pipeline files are bound, not written, through this model.");
}

internal sealed record StreamEntryMapping(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("transform")] string? Transform);

[JsonSourceGenerationOptions(UseStringEnumConverter = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PipelineFileModel))]
[JsonSerializable(typeof(StreamEntryMapping))]
internal sealed partial class PipelineFileJsonContext : JsonSerializerContext
{
}
