using MyBi.Cli.Output;
using Microsoft.Extensions.Time.Testing;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>The progress line of a sync: current table, counts, time left, within the terminal's width.</summary>
public sealed class TerminalProgressTests
{
    [Fact]
    public void Render_ShowsTheCurrentTableAndTheTimeLeftFromAnnouncedPages()
    {
        var clock = new FakeTimeProvider(TestClock.Now);
        var progress = new TerminalProgress(TextWriter.Null, enabled: false, clock);
        progress.OnRequest("services");
        progress.OnPage("services", 40);
        progress.OnPagesExpected("records", 10);
        progress.OnRequest("records");
        progress.OnPage("records", 200);
        progress.OnRequest("records");
        progress.OnPage("records", 200);
        clock.Advance(TimeSpan.FromSeconds(6));

        // 3 requests in 6 s: 2 s a request; 8 of the 10 announced pages are left.
        Assert.Equal("records 400 rows, 2 pages | 3 req | ETA 16s", progress.Render(80));

        clock.Advance(TimeSpan.FromSeconds(114));
        Assert.Equal("records 400 rows, 2 pages | 3 req | ETA 5m20s", progress.Render(80));
    }

    [Fact]
    public void Render_WithoutAnnouncedPagesSaysTheTimeLeftIsUnknown()
    {
        var progress = new TerminalProgress(TextWriter.Null, enabled: false, new FakeTimeProvider(TestClock.Now));
        Assert.Equal("starting 0 rows, 0 pages | 0 req | ETA ?", progress.Render(80));
        progress.OnRequest("staff");
        progress.OnPage("staff", 12);
        Assert.Equal("staff 12 rows, 1 pages | 1 req | ETA ?", progress.Render(80));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(40)]
    [InlineData(30)]
    [InlineData(10)]
    public void Render_FitsTheTerminalAndCutsTheTableNameFirst(int columns)
    {
        var clock = new FakeTimeProvider(TestClock.Now);
        var progress = new TerminalProgress(TextWriter.Null, enabled: false, clock);
        var table = "record_services_with_a_very_long_name_that_goes_on_and_on_for_ever";
        progress.OnPagesExpected(table, 5_000);
        for (var i = 0; i < 3; i++)
        {
            progress.OnRequest(table);
            progress.OnPage(table, 1_000);
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        var line = progress.Render(columns);
        Assert.True(line.Length <= Math.Max(20, columns - 1), $"{line.Length} characters: {line}");
        Assert.StartsWith("record_", line, StringComparison.Ordinal);
        Assert.Contains("…", line, StringComparison.Ordinal);
        if (columns >= 80)
        {
            // 3 requests in a minute: 20 s a request for the 4,997 announced pages left.
            Assert.EndsWith(" 3,000 rows, 3 pages | 3 req | ETA 27h45m", line, StringComparison.Ordinal);
        }
        else if (columns >= 40)
        {
            Assert.EndsWith(" 3,000 rows | ETA 27h45m", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Draw_WritesOneCarriageReturnLineNoWiderThanTheTerminal()
    {
        var clock = new FakeTimeProvider(TestClock.Now);
        var output = new StringWriter();
        var progress = new TerminalProgress(output, enabled: true, clock, width: () => 50);
        progress.OnRequest("clients");
        progress.OnPage("clients", 200);
        progress.Finish();
        var drawn = output.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries)[0];
        Assert.Equal("clients 200 rows, 1 pages | 1 req | ETA ?", drawn);
        Assert.True(drawn.Length <= 49);
    }
}
