using System.Globalization;
using MyBi.Engine.Running;

namespace MyBi.Cli.Output;

/// <summary>
/// One self-updating status line on a terminal: the table being read, its rows and pages, the requests sent and an
/// estimate of the time left; silent when stderr is redirected, so logs and pipes get only the final summary.
/// </summary>
/// <remarks>
/// The time left counts only the pages the source has announced (a first page that carries the total) and not yet
/// read, at the average time a request has taken so far, rate-limit waits included; until something is announced the
/// line says "ETA ?".
/// </remarks>
internal sealed class TerminalProgress : RunObserver
{
    private const int NarrowestLine = 20;

    private readonly TextWriter _writer;
    private readonly bool _enabled;
    private readonly TimeProvider _timeProvider;
    private readonly Redactor _redactor;
    private readonly Func<int> _width;
    private readonly Dictionary<string, (long Rows, int Pages)> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _expected = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly long _started;
    private string? _current;
    private long _lastDrawn;
    private int _lastWidth;

    /// <param name="width">The terminal's columns; the line is kept one shorter so the cursor never wraps.</param>
    public TerminalProgress(TextWriter writer, bool enabled, TimeProvider timeProvider, Redactor? redactor = null, Func<int>? width = null)
    {
        _writer = writer;
        _enabled = enabled;
        _timeProvider = timeProvider;
        _redactor = redactor ?? Redactor.None;
        _width = width ?? (() => 80);
        _started = timeProvider.GetTimestamp();
    }

    public static TerminalProgress ForConsole(TimeProvider timeProvider, Redactor? redactor = null) =>
        new(Console.Error, !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null, timeProvider, redactor, ConsoleWidth);

    public long Requests { get; private set; }

    public override void OnRequest(string stream)
    {
        lock (_lock)
        {
            Requests++;
        }
    }

    public override void OnPage(string stream, int rows)
    {
        lock (_lock)
        {
            var (r, p) = _streams.GetValueOrDefault(stream);
            _streams[stream] = (r + rows, p + 1);
            _current = stream;
            Draw(force: false);
        }
    }

    public override void OnPagesExpected(string stream, long pages)
    {
        lock (_lock)
        {
            // The announcement comes with the first page of one read (a company, a period), before that page is
            // counted: what is left is the new read's pages on top of what this stream has read or announced so far.
            _expected[stream] = Math.Max(_expected.GetValueOrDefault(stream), _streams.GetValueOrDefault(stream).Pages) + pages;
        }
    }

    public override void OnWarning(string message)
    {
        lock (_lock)
        {
            Clear();
            _writer.WriteLine(_redactor.Line($"warning: {message}"));
        }
    }

    public void Finish()
    {
        lock (_lock)
        {
            Clear();
        }
    }

    /// <summary>The status line as it would be drawn on a terminal <paramref name="columns"/> wide.</summary>
    internal string Render(int columns)
    {
        lock (_lock)
        {
            return RenderLine(columns);
        }
    }

    private string RenderLine(int columns)
    {
        var width = Math.Max(NarrowestLine, columns - 1);
        var (rows, pages) = _current is null ? (0L, 0) : _streams[_current];
        var eta = Eta();
        var table = _redactor.Apply(TableFormatter.Printable(_current ?? "starting"));

        // On a narrow terminal the details give way first (pages and requests), then the table's name is cut: the
        // table, its rows and the time left are what the line is for.
        var full = string.Create(CultureInfo.InvariantCulture, $" {rows:N0} rows, {pages:N0} pages | {Requests:N0} req | ETA {eta}");
        var tail = width - full.Length >= Math.Min(table.Length, 12) ? full : string.Create(CultureInfo.InvariantCulture, $" {rows:N0} rows | ETA {eta}");
        // At least the start of the name stays; on the narrowest terminals the end of the line goes instead.
        var room = Math.Max(8, width - tail.Length);
        if (room < table.Length)
        {
            table = string.Concat(table.AsSpan(0, room - 1), "…");
        }

        var text = table + tail;
        return text.Length <= width ? text : text[..width];
    }

    private string Eta()
    {
        var left = _expected.Sum(kv => Math.Max(0, kv.Value - _streams.GetValueOrDefault(kv.Key).Pages));
        if (_expected.Count == 0 || Requests == 0)
        {
            return "?";
        }

        var perRequest = _timeProvider.GetElapsedTime(_started).TotalSeconds / Requests;
        var seconds = (long)Math.Ceiling(left * perRequest);
        return seconds switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds}s"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m{seconds % 60:00}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h{seconds % 3600 / 60:00}m"),
        };
    }

    private static int ConsoleWidth()
    {
        try
        {
            return Console.IsErrorRedirected ? 80 : Console.WindowWidth;
        }
        catch (IOException)
        {
            return 80;
        }
    }

    private void Draw(bool force)
    {
        if (!_enabled)
        {
            return;
        }

        var now = _timeProvider.GetTimestamp();
        if (!force && _timeProvider.GetElapsedTime(_lastDrawn, now) < TimeSpan.FromMilliseconds(150))
        {
            return;
        }

        _lastDrawn = now;
        var text = RenderLine(_width());
        _writer.Write("\r" + text.PadRight(_lastWidth));
        _lastWidth = text.Length;
    }

    private void Clear()
    {
        if (_enabled && _lastWidth > 0)
        {
            _writer.Write("\r" + new string(' ', _lastWidth) + "\r");
            _lastWidth = 0;
        }
    }
}
