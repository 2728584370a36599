using MyBi.Cli.Output;

namespace MyBi.Cli.Tests;

/// <summary>`query --json` and `--csv` write each row as it arrives, holding none.</summary>
public sealed class StreamingRowWriterTests
{
    [Fact]
    public void JsonRowWriter_WritesEachRowBeforeTheNextArrives_AndMatchesTheWholeArray()
    {
        var output = new StringWriter();
        var writer = new JsonRowWriter(output);
        writer.OnColumns(["id", "tags"]);
        writer.OnRow([1L, new[] { "a" }]);
        Assert.Contains("\"id\": 1", output.ToString(), StringComparison.Ordinal);
        writer.OnRow([2L, null]);
        Assert.Contains("\"id\": 2", output.ToString(), StringComparison.Ordinal);
        writer.Complete();

        var whole = new StringWriter();
        TableFormatter.WriteJson(whole, ["id", "tags"], [[1L, new[] { "a" }], [2L, null]]);
        Assert.Equal(whole.ToString(), output.ToString());
        var rows = System.Text.Json.JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal(2, rows.GetArrayLength());
        Assert.Equal("a", rows[0].GetProperty("tags")[0].GetString());
    }

    [Fact]
    public void CsvRowWriter_WritesEachRowBeforeTheNextArrives()
    {
        var output = new StringWriter();
        var writer = new CsvRowWriter(output);
        writer.OnColumns(["id", "name"]);
        writer.OnRow([1L, "a,b"]);
        Assert.Equal("id,name\n1,\"a,b\"\n", output.ToString().ReplaceLineEndings("\n"));
    }
}
