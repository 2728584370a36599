using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MyBi.Pipelines.Internal.Yaml;

/// <summary>
/// Remembers where the last good event ended, so that a failure without a position of its own (the scanner can
/// throw plain exceptions on some malformed input) can still be placed near the problem. It also enforces the size
/// limits while events stream by, before any node tree exists: YamlDotNet builds the tree recursively (deep nesting
/// overflows the stack, which no handler can catch) and aliases repeat whole subtrees (a few lines can stand for
/// billions of values).
/// </summary>
internal sealed class MarkTrackingParser : IParser
{
    /// <summary>Levels of nested mappings and lists; a pipeline uses fewer than ten.</summary>
    public const int MaxDepth = 64;

    /// <summary>Values in the document with every alias expanded; a large pipeline has a few thousand.</summary>
    public const int MaxValues = 100_000;

    private readonly IParser _inner;
    private readonly Stack<(string? Anchor, long Before)> _open = new();
    private readonly Dictionary<string, long> _anchorSizes = new(StringComparer.Ordinal);
    private long _values;

    public MarkTrackingParser(IParser inner)
    {
        _inner = inner;
    }

    public ParsingEvent? Current => _inner.Current;

    public TextPosition LastGood { get; private set; } = TextPosition.Start;

    public bool MoveNext()
    {
        var moved = _inner.MoveNext();
        if (_inner.Current is { } current)
        {
            Count(current);
            if (current.End.Line > 0)
            {
                LastGood = new TextPosition((int)current.End.Line, (int)current.End.Column);
            }
        }

        return moved;
    }

    private void Count(ParsingEvent current)
    {
        switch (current)
        {
            case NodeEvent node when node is MappingStart or SequenceStart:
                if (_open.Count == MaxDepth)
                {
                    throw new YamlLimitException(At(current), string.Create(CultureInfo.InvariantCulture, $"mappings and lists are nested more than {MaxDepth} levels deep"));
                }

                _open.Push((node.Anchor.IsEmpty ? null : node.Anchor.Value, _values));
                Add(1, current);
                break;
            case MappingEnd or SequenceEnd when _open.Count > 0:
                var (anchor, before) = _open.Pop();
                if (anchor is not null)
                {
                    _anchorSizes[anchor] = _values - before;
                }

                break;
            case Scalar scalar:
                if (!scalar.Anchor.IsEmpty)
                {
                    _anchorSizes[scalar.Anchor.Value] = 1;
                }

                Add(1, current);
                break;
            case AnchorAlias alias:
                // An alias stands for a full copy of its anchor's subtree, and the pipeline is built from the copies.
                Add(_anchorSizes.GetValueOrDefault(alias.Value.Value, 1), current, expanding: true);
                break;
        }
    }

    private void Add(long count, ParsingEvent current, bool expanding = false)
    {
        _values += count;
        if (_values > MaxValues)
        {
            var message = string.Create(
                CultureInfo.InvariantCulture,
                $"the document holds more than {MaxValues:N0} values{(expanding ? " once its aliases are expanded (check anchors and aliases)" : "")}");
            throw new YamlLimitException(At(current), message);
        }
    }

    private static TextPosition At(ParsingEvent current) => new((int)current.Start.Line, (int)current.Start.Column);
}
