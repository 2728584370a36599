using MyBi.Cli.Output;

namespace MyBi.Cli.Tests;

public sealed class TableFormatterTests
{
    [Fact]
    public void WriteTable_NumberColumns_RightAlignedWithTheirHeaders()
    {
        var output = new StringWriter { NewLine = "\n" };

        TableFormatter.WriteTable(
            output,
            ["table", "rows", "sec"],
            [["records", 1234L, 0.5], ["clients", 7L, 12.25], ["total", 1241L, ""]]);

        Assert.Equal(
            """
            table   | rows |   sec
            --------+------+------
            records | 1234 |   0.5
            clients |    7 | 12.25
            total   | 1241 |

            """,
            output.ToString());
    }

    [Fact]
    public void WriteTable_NumbersAfterANullInTheFirstRow_StillRightAligned()
    {
        var output = new StringWriter { NewLine = "\n" };

        TableFormatter.WriteTable(output, ["name", "amount", "note"], [["a", null, "x"], ["b", 10.5m, "y"], ["c", 100, 3]]);

        Assert.Equal(
            """
            name | amount | note
            -----+--------+-----
            a    |   NULL | x
            b    |   10.5 | y
            c    |    100 | 3

            """,
            output.ToString());
    }

    [Fact]
    public void WriteTable_OneRow_NumbersRightAligned()
    {
        var output = new StringWriter { NewLine = "\n" };

        TableFormatter.WriteTable(output, ["run", "status", "rows written"], [["a1b2c3d4", "succeeded", 42L]]);

        Assert.Equal(
            """
            run      | status    | rows written
            ---------+-----------+-------------
            a1b2c3d4 | succeeded |           42

            """,
            output.ToString());
    }
}
