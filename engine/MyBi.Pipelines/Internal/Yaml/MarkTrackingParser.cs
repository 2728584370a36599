using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MyBi.Pipelines.Internal.Yaml;

/// <summary>
/// Remembers where the last good event ended, so that a failure without a position of its own (the scanner can
/// throw plain exceptions on some malformed input) can still be placed near the problem.
/// </summary>
internal sealed class MarkTrackingParser : IParser
{
    private readonly IParser _inner;

    public MarkTrackingParser(IParser inner)
    {
        _inner = inner;
    }

    public ParsingEvent? Current => _inner.Current;

    public TextPosition LastGood { get; private set; } = TextPosition.Start;

    public bool MoveNext()
    {
        var moved = _inner.MoveNext();
        if (_inner.Current is { } current && current.End.Line > 0)
        {
            LastGood = new TextPosition((int)current.End.Line, (int)current.End.Column);
        }

        return moved;
    }
}
