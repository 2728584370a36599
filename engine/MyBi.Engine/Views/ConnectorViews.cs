using System.Text.RegularExpressions;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;

namespace MyBi.Engine.Views;

/// <summary>
/// Creates a connector's analysis views in a destination, after checking that each reads nothing but the pipeline's
/// own stream tables and earlier views: tables are named only through <c>{placeholders}</c>, every FROM and JOIN
/// is followed by one or by a subquery, and functions come from a short list of aggregates, so no view can reach
/// the engine's tables, another schema, a file or a URL. A view whose streams the pipeline does not load is skipped.
/// </summary>
public static partial class ConnectorViews
{
    private static readonly HashSet<string> AllowedCalls = new(StringComparer.OrdinalIgnoreCase)
    {
        "sum", "count", "min", "max", "avg", "coalesce", "nullif", "round", "now", "cast", "abs",
        "in", "from", "join", "exists", "and", "or", "not", "on", "as", "then", "else", "when", "distinct", "select", "by", "where", "all", "union", "case", "having",
    };

    /// <summary>
    /// Checks the views and creates, in declaration order, those whose streams are all in <paramref name="tables"/>;
    /// returns the names created. A view that breaks the rules is the connector's bug (System error).
    /// </summary>
    public static async ValueTask<IReadOnlyList<string>> EnsureAsync(
        Destination destination, IReadOnlyList<ViewDescriptor> views, IReadOnlySet<string> streams, IReadOnlySet<string> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(views);
        var created = new List<string>();
        foreach (var view in Plan(views, streams, tables))
        {
            var sql = Placeholder().Replace(view.Sql, m =>
                destination.ViewSource(m.Groups[1].Value, isView: created.Contains(m.Groups[1].Value, StringComparer.Ordinal)));
            await destination.EnsureViewAsync(view.Name, sql, view.Description, cancellationToken).ConfigureAwait(false);
            created.Add(view.Name);
        }

        return created;
    }

    /// <summary>The views to create: checked, in order, with every placeholder naming a loaded stream or an earlier view.</summary>
    public static IReadOnlyList<ViewDescriptor> Plan(IReadOnlyList<ViewDescriptor> views, IReadOnlySet<string> streams, IReadOnlySet<string> tables)
    {
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(tables);
        var planned = new List<ViewDescriptor>();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var view in views)
        {
            Check(view, streams, declared);
            declared.Add(view.Name);
            var sources = Placeholder().Matches(view.Sql).Select(m => m.Groups[1].Value).ToList();
            if (sources.All(s => tables.Contains(s) || planned.Any(p => p.Name == s)))
            {
                planned.Add(view);
            }
        }

        return planned;
    }

    private static void Check(ViewDescriptor view, IReadOnlySet<string> streams, HashSet<string> declared)
    {
        if (!ViewName().IsMatch(view.Name) || view.Name.StartsWith("_mybi", StringComparison.OrdinalIgnoreCase) || streams.Contains(view.Name))
        {
            throw Broken(view, "its name must be lower case letters, digits and '_', and differ from the streams' names");
        }

        foreach (Match match in Placeholder().Matches(view.Sql))
        {
            var name = match.Groups[1].Value;
            if (!streams.Contains(name) && !declared.Contains(name))
            {
                throw Broken(view, $"{{{name}}} is neither a stream of the connector nor a view declared before it");
            }
        }

        var text = Placeholder().Replace(view.Sql, " __source__ ");
        foreach (var forbidden in new[] { ";", "\"", "`", "--", "/*", "\\", "_mybi", "{", "}" })
        {
            if (text.Contains(forbidden, StringComparison.OrdinalIgnoreCase))
            {
                throw Broken(view, $"its SQL contains '{forbidden}'");
            }
        }

        if (UnplacedSource().Match(text) is { Success: true } unplaced)
        {
            throw Broken(view, $"'{unplaced.Value.Trim()}' reads something other than a {{placeholder}} or a subquery");
        }

        if (CommaJoin().IsMatch(text))
        {
            throw Broken(view, "a comma after a FROM source joins what is not a {placeholder}; use JOIN");
        }

        foreach (Match call in Call().Matches(text))
        {
            if (!AllowedCalls.Contains(call.Groups[1].Value))
            {
                throw Broken(view, $"it calls '{call.Groups[1].Value}', which views may not use");
            }
        }
    }

    private static MyBiException Broken(ViewDescriptor view, string reason) =>
        new(FailureKind.System, $"The connector's view '{view.Name}' is not usable: {reason}.");

    [GeneratedRegex(@"\{([a-z_][a-z0-9_]*)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex ViewName();

    [GeneratedRegex(@"\b(from|join)\s+(?!__source__\b|\()\S+", RegexOptions.IgnoreCase)]
    private static partial Regex UnplacedSource();

    [GeneratedRegex(@"__source__\s+(as\s+)?[a-z_]\w*\s*,", RegexOptions.IgnoreCase)]
    private static partial Regex CommaJoin();

    [GeneratedRegex(@"\b([a-z_]\w*)\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex Call();
}
