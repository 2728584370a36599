using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Engine.Schema;

namespace MyBi.Server.Webhooks;

/// <summary>
/// The pipeline's <c>source.filters</c> for webhook rows: an event whose row a pull would drop changes no table.
/// A filter field the row carries as a column (records by staff_id) is checked on the row, as the pull keeps a
/// value from the filter's list; the rows of child streams (record_services of the record) go with their parent.
/// A field the row does not carry (records by service_category_id, which the pull decides from the company's
/// service catalogue) cannot be decided from the event: such events are stored but left to the pull.
/// </summary>
internal sealed class WebhookFilter
{
    private readonly Dictionary<string, List<(int Column, HashSet<string> Values)>> _checks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _undecided = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _parents = new(StringComparer.Ordinal);

    public WebhookFilter(IReadOnlyDictionary<string, JsonObject> filters, IReadOnlyDictionary<string, CompiledStream> streams)
    {
        foreach (var stream in streams.Values)
        {
            if (stream.Descriptor.Parent is { } parent)
            {
                _parents[stream.Descriptor.Name] = parent;
            }
        }

        foreach (var (name, filter) in filters)
        {
            if (filter is null || !streams.TryGetValue(name, out var stream))
            {
                continue;
            }

            foreach (var (field, value) in filter)
            {
                var column = stream.Table.IndexOf(field);
                if (column < 0)
                {
                    _undecided[name] = $"source.filters.{name}.{field} is decided by the pull, not from an event";
                    continue;
                }

                IEnumerable<JsonNode?> items = value is JsonArray array ? array : new[] { value };
                var values = items.Select(Text).OfType<string>().ToHashSet(StringComparer.Ordinal);
                (_checks.TryGetValue(name, out var list) ? list : _checks[name] = []).Add((column, values));
            }
        }
    }

    /// <summary>Whether any filter applies to webhook rows at all.</summary>
    public bool IsEmpty => _checks.Count == 0 && _undecided.Count == 0;

    /// <summary>
    /// The rows of one event a pull would keep (normalized rows by stream), or why none is kept: the filtered stream's
    /// row failed its filter, or the filter cannot be decided from the event.
    /// </summary>
    public string? Reject(IReadOnlyList<(string Stream, object?[] Row)> rows)
    {
        foreach (var (stream, row) in rows)
        {
            var root = Root(stream);
            if (stream == root && _undecided.TryGetValue(root, out var undecided))
            {
                return undecided;
            }

            if (stream == root && _checks.TryGetValue(root, out var checks))
            {
                foreach (var (column, values) in checks)
                {
                    if (Text(row[column]) is not { } text || !values.Contains(text))
                    {
                        return $"dropped by source.filters.{root}, as a pull would";
                    }
                }
            }
        }

        return null;
    }

    private string Root(string stream)
    {
        var current = stream;
        for (var depth = 0; depth < 8 && _parents.TryGetValue(current, out var parent); depth++)
        {
            current = parent;
        }

        return current;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        JsonNode node when node.GetValueKind() is JsonValueKind.Number or JsonValueKind.String => Text(node.GetValue<JsonElement>().ToString()),
        JsonNode => null,
        string text => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number.ToString(CultureInfo.InvariantCulture) : text,
        sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal => Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
