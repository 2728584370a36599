using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Reports;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Normalization;
using MyBi.Engine.Reports;
using MyBi.Engine.Schema;
using MyBi.Engine.Tests.Schema;

namespace MyBi.Engine.Tests.Normalization;

/// <summary>Fields a row carries beyond its schema are kept in the <c>_extra</c> JSON column.</summary>
public sealed class ExtraFieldsTests
{
    private static readonly CompiledStream s_records = StreamSchemaCompiler.Compile(
        new StreamDescriptor { Name = "records", JsonSchema = StreamSchemaCompilerTests.RecordsSchema, PrimaryKey = ["id"] });

    private static JsonObject FirstSampleRecord()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", "records_list.json")))!;
        return sample["data"]![0]!.AsObject();
    }

    private static JsonObject? Extra(JsonObject row)
    {
        var value = RecordNormalizer.Normalize(s_records, row)[s_records.Table.IndexOf("_extra")];
        return value is null ? null : JsonNode.Parse((string)value)!.AsObject();
    }

    [Fact]
    public void Compile_AddsOneNullableJsonExtraColumnLast()
    {
        var column = s_records.Table.Columns[^1];
        Assert.Equal("_extra", column.Name);
        Assert.Equal(ColumnType.Json, column.Type);
        Assert.True(column.Nullable);
    }

    [Fact]
    public void Normalize_SampleRecord_KeepsUnknownFieldsInExtra()
    {
        var record = FirstSampleRecord();
        var extra = Extra(record)!;

        // Top-level fields the schema does not list: SMS flags, from_url, review_requested...
        foreach (var name in new[] { "sms_now", "from_url", "review_requested", "comment", "visit_id" })
        {
            Assert.True(extra.ContainsKey(name), name);
            Assert.Equal(record[name]!.ToJsonString(), extra[name]!.ToJsonString());
        }

        // Members of a flattened object the schema does not describe stay nested under their object.
        Assert.Equal(record["staff"]!["rating"]!.ToJsonString(), extra["staff"]!["rating"]!.ToJsonString());
        Assert.False(extra["staff"]!.AsObject().ContainsKey("name"));

        // What has a column is not repeated.
        foreach (var known in new[] { "id", "datetime", "services", "custom_fields", "deleted" })
        {
            Assert.False(extra.ContainsKey(known), known);
        }
    }

    [Fact]
    public void Normalize_OnlyKnownFields_LeavesExtraNull()
    {
        var row = new JsonObject { ["id"] = 1, ["staff"] = new JsonObject { ["id"] = 2, ["name"] = "A" }, ["services"] = new JsonArray(new JsonObject { ["x"] = 1 }) };
        Assert.Null(Extra(row));
    }

    [Fact]
    public void Normalize_ExtraKeepsCyrillicReadable()
    {
        var row = new JsonObject { ["id"] = 1, ["note"] = "Без звонка" };
        Assert.Equal("Без звонка", Extra(row)!["note"]!.GetValue<string>());
        Assert.Contains("Без звонка", (string)RecordNormalizer.Normalize(s_records, row)[^1]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_SchemaWithOwnExtraProperty_IsRefused()
    {
        var schema = """{ "type": "object", "properties": { "id": { "type": "integer" }, "_extra": { "type": "string" } } }""";
        var ex = Assert.Throws<MyBiException>(() => StreamSchemaCompiler.Compile(new StreamDescriptor { Name = "s", JsonSchema = schema, PrimaryKey = ["id"] }));
        Assert.Contains("_extra", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportFields_HaveNoExtraField()
    {
        var descriptor = new ReportTypeDescriptor { Name = "r", JsonSchema = """{ "type": "object", "properties": { "day": { "type": "string", "format": "date" } } }""", KeyField = "day", DateField = "day" };
        Assert.DoesNotContain("_extra", ReportFields.Of(descriptor).Paths);
    }
}
