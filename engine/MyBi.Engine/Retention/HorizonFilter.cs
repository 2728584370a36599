using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;
using MyBi.Engine.Normalization;
using MyBi.Engine.Schema;

namespace MyBi.Engine.Retention;

/// <summary>
/// Drops source rows dated before the retention horizon, by the business date their stream declares: a connector
/// that reads by change time (a record edited today whose session was a year ago) must not bring back what
/// retention deleted. Rows of streams without a business date, and rows whose date is missing or unreadable, pass.
/// </summary>
internal sealed class HorizonFilter
{
    private readonly RetentionHorizon? _horizon;
    private readonly Dictionary<string, long> _dropped = new(StringComparer.Ordinal);

    public HorizonFilter(RetentionHorizon? horizon) => _horizon = horizon;

    /// <summary>Rows dropped per stream.</summary>
    public IReadOnlyDictionary<string, long> Dropped => _dropped;

    /// <summary>Whether the row is dated before the horizon (and is counted as dropped).</summary>
    public bool Drops(CompiledStream stream, JsonObject data)
    {
        if (_horizon is null || stream.Descriptor.BusinessDate is not { } column)
        {
            return false;
        }

        var index = stream.Table.IndexOf(column);
        if (index < 0 || index >= stream.Paths.Count)
        {
            return false;
        }

        object? value;
        try
        {
            value = LenientValue.Parse(JsonPaths.Navigate(data, stream.Paths[index]), stream.Table.Columns[index].Type);
        }
        catch (FormatException)
        {
            // The normalizer reports the bad value with the row's key; this filter is not the place to fail it.
            return false;
        }

        if (!_horizon.Excludes(value))
        {
            return false;
        }

        _dropped[stream.Table.Name] = _dropped.GetValueOrDefault(stream.Table.Name) + 1;
        return true;
    }
}
