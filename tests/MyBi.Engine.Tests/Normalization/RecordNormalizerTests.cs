using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Normalization;
using MyBi.Engine.Schema;
using MyBi.Engine.Tests.Schema;

namespace MyBi.Engine.Tests.Normalization;

public sealed class RecordNormalizerTests
{
    private static readonly CompiledStream s_records = StreamSchemaCompiler.Compile(
        new StreamDescriptor { Name = "records", JsonSchema = StreamSchemaCompilerTests.RecordsSchema, PrimaryKey = ["id"] });

    private static JsonObject FirstSampleRecord()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", "records_list.json")))!;
        return sample["data"]![0]!.AsObject();
    }

    private static object? Value(object?[] row, string column) => row[s_records.Table.IndexOf(column)];

    [Fact]
    public void Normalize_SampleRecord_FlattensAndTypes()
    {
        var row = RecordNormalizer.Normalize(s_records, FirstSampleRecord());

        Assert.Equal(560031877L, Value(row, "id"));
        Assert.Equal(1072559L, Value(row, "staff_id"));
        Assert.Equal("Ирина Петрова", Value(row, "staff_name"));
        Assert.Equal("Стилист", Value(row, "staff_position_title"));
        Assert.Equal(86694283L, Value(row, "client_id"));
        Assert.Equal(false, Value(row, "deleted"));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 15, 0, 0, TimeSpan.FromHours(3)), Value(row, "datetime"));
        Assert.Contains("Окрашивание", (string)Value(row, "services")!, StringComparison.Ordinal);
        Assert.Equal("[]", Value(row, "custom_fields"));
    }

    [Fact]
    public void Normalize_PhpEmptyArrayForObject_GivesNullColumns()
    {
        var record = FirstSampleRecord();
        record["client"] = new JsonArray();
        var row = RecordNormalizer.Normalize(s_records, record);
        Assert.Null(Value(row, "client_id"));
        Assert.Null(Value(row, "client_phone"));
    }

    [Fact]
    public void Normalize_NumbersAsStringsAndZeroOneBooleans_AreAccepted()
    {
        var record = FirstSampleRecord();
        record["id"] = "560031877";
        record["deleted"] = 1;
        record["paid"] = "8010.50";
        var row = RecordNormalizer.Normalize(s_records, record);
        Assert.Equal(560031877L, Value(row, "id"));
        Assert.Equal(true, Value(row, "deleted"));
        Assert.Equal(8010.50m, Value(row, "paid"));
    }

    [Fact]
    public void Normalize_AmountWithMoreIntegerDigitsThanItsColumn_FailsNamingStreamColumnAndRowKey()
    {
        var column = s_records.Table.Columns[s_records.Table.IndexOf("paid")];
        var widest = 1m;
        for (var d = 0; d < column.Precision - column.Scale; d++)
        {
            widest *= 10;
        }

        var record = FirstSampleRecord();
        record["paid"] = widest - 0.0001m;
        Assert.Equal(widest - 0.0001m, Value(RecordNormalizer.Normalize(s_records, record), "paid"));

        record["paid"] = widest;
        var ex = Assert.Throws<MyBiException>(() => RecordNormalizer.Normalize(s_records, record));

        Assert.Equal(FailureKind.System, ex.Kind);
        Assert.Equal("records", ex.Stream);
        Assert.Contains("column 'paid'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("id=560031877", ex.Message, StringComparison.Ordinal);
        Assert.Contains("more integer digits than the column holds", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_MissingKey_FailsNamingTheColumn()
    {
        var record = FirstSampleRecord();
        record.Remove("id");
        var ex = Assert.Throws<MyBiException>(() => RecordNormalizer.Normalize(s_records, record));
        Assert.Contains("'id'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("records", ex.Stream);
    }

    [Fact]
    public void Normalize_BadValue_FailsNamingStreamColumnAndRowKey()
    {
        var record = FirstSampleRecord();
        record["attendance"] = "came";
        var ex = Assert.Throws<MyBiException>(() => RecordNormalizer.Normalize(s_records, record));
        Assert.Contains("attendance", ex.Message, StringComparison.Ordinal);
        Assert.Contains("id=560031877", ex.Message, StringComparison.Ordinal);
    }
}
