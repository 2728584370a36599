using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Schema;

namespace MyBi.Engine.Tests.Schema;

public sealed class StreamSchemaCompilerTests
{
    internal const string RecordsSchema = """
        {
          "type": "object",
          "description": "Appointments.",
          "properties": {
            "id": { "type": "integer", "description": "Record id." },
            "company_id": { "type": "integer" },
            "datetime": { "type": "string", "format": "date-time" },
            "date": { "type": ["string", "null"], "format": "date" },
            "deleted": { "type": "boolean" },
            "attendance": { "type": "integer" },
            "rating": { "type": "number" },
            "paid": { "type": "number", "format": "decimal", "x-scale": 2 },
            "staff": { "type": "object", "properties": { "id": { "type": "integer" }, "name": { "type": "string" },
                       "position": { "type": "object", "properties": { "title": { "type": "string" } } } } },
            "client": { "type": ["object", "null"], "properties": { "id": { "type": "integer" }, "phone": { "type": "string" } } },
            "services": { "type": "array", "items": { "type": "object" } },
            "custom_fields": { "type": "object" }
          }
        }
        """;

    private static StreamDescriptor Descriptor(string schema, params string[] key) =>
        new() { Name = "records", JsonSchema = schema, PrimaryKey = key };

    [Fact]
    public void Compile_NestedObjects_AreFlattenedWithUnderscore()
    {
        var table = StreamSchemaCompiler.Compile(Descriptor(RecordsSchema, "id")).Table;
        Assert.Equal(
            ["id", "company_id", "datetime", "date", "deleted", "attendance", "rating", "paid", "staff_id", "staff_name", "staff_position_title", "client_id", "client_phone", "services", "custom_fields", "_loaded_at", "_extra"],
            table.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Compile_LocalDateTimeFormat_IsAWallClockColumn()
    {
        const string schema = """
            {"type": "object", "properties": {
              "id": {"type": "integer"},
              "datetime": {"type": "string", "format": "date-time"},
              "datetime_local": {"type": ["string", "null"], "format": "local-date-time", "x-local-time-of": "datetime"}}}
            """;
        var table = StreamSchemaCompiler.Compile(Descriptor(schema, "id")).Table;

        Assert.Equal(ColumnType.Timestamp, table.Columns[table.IndexOf("datetime")].Type);
        Assert.Equal(ColumnType.LocalDateTime, table.Columns[table.IndexOf("datetime_local")].Type);
    }

    [Fact]
    public void Compile_Types_FollowFormats()
    {
        var table = StreamSchemaCompiler.Compile(Descriptor(RecordsSchema, "id")).Table;
        ColumnType TypeOf(string name) => table.Columns[table.IndexOf(name)].Type;
        Assert.Equal(ColumnType.Int64, TypeOf("id"));
        Assert.Equal(ColumnType.Timestamp, TypeOf("datetime"));
        Assert.Equal(ColumnType.Date, TypeOf("date"));
        Assert.Equal(ColumnType.Boolean, TypeOf("deleted"));
        Assert.Equal(ColumnType.Double, TypeOf("rating"));
        Assert.Equal(ColumnType.Decimal, TypeOf("paid"));
        Assert.Equal(2, table.Columns[table.IndexOf("paid")].Scale);
        Assert.Equal(ColumnType.Json, TypeOf("services"));
        Assert.Equal(ColumnType.Json, TypeOf("custom_fields"));
        Assert.Equal("Record id.", table.Columns[0].Description);
    }

    [Fact]
    public void Compile_PrimaryKey_IsNotNullable()
    {
        var table = StreamSchemaCompiler.Compile(Descriptor(RecordsSchema, "id", "company_id")).Table;
        Assert.False(table.Columns[table.IndexOf("id")].Nullable);
        Assert.False(table.Columns[table.IndexOf("company_id")].Nullable);
        Assert.True(table.Columns[table.IndexOf("staff_id")].Nullable);
    }

    [Fact]
    public void Compile_KeyNotAColumn_IsSystemErrorNamingStream()
    {
        var ex = Assert.Throws<MyBiException>(() => StreamSchemaCompiler.Compile(Descriptor(RecordsSchema, "record_id")));
        Assert.Equal(FailureKind.System, ex.Kind);
        Assert.Contains("records", ex.Message, StringComparison.Ordinal);
        Assert.Contains("record_id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_BrokenJson_IsSystemError()
    {
        var ex = Assert.Throws<MyBiException>(() => StreamSchemaCompiler.Compile(Descriptor("{ not json", "id")));
        Assert.Equal(FailureKind.System, ex.Kind);
    }
}
