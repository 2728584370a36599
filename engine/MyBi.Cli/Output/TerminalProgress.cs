using System.Globalization;
using MyBi.Engine.Running;

namespace MyBi.Cli.Output;

/// <summary>
/// One self-updating status line on a terminal (rows and pages per stream); silent when stderr is redirected,
/// so logs and pipes get only the final summary.
/// </summary>
internal sealed class TerminalProgress : RunObserver
{
    private readonly TextWriter _writer;
    private readonly bool _enabled;
    private readonly TimeProvider _timeProvider;
    private readonly Redactor _redactor;
    private readonly Dictionary<string, (long Rows, int Pages)> _streams = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _lastDrawn;
    private int _lastWidth;

    public TerminalProgress(TextWriter writer, bool enabled, TimeProvider timeProvider, Redactor? redactor = null)
    {
        _writer = writer;
        _enabled = enabled;
        _timeProvider = timeProvider;
        _redactor = redactor ?? Redactor.None;
    }

    public static TerminalProgress ForConsole(TimeProvider timeProvider, Redactor? redactor = null) =>
        new(Console.Error, !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null, timeProvider, redactor);

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
            Draw(force: false);
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
        var text = string.Join("  ", _streams.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}: {kv.Value.Rows:N0} rows/{kv.Value.Pages} pages")));
        text = $"reading… {Requests} requests  {text}";
        var width = Console.IsErrorRedirected ? 200 : Math.Max(20, Console.WindowWidth - 1);
        if (text.Length > width)
        {
            text = text[..width];
        }

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
