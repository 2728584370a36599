using System.Text.RegularExpressions;

namespace MyBi.Pipelines.Internal;

/// <summary>
/// Paths into a document in the form the JSON Schema validator reports them: <c>source.streams[1].name</c>;
/// the root is the empty string.
/// </summary>
internal static partial class DocumentPath
{
    public const string Root = "";

    public static string Child(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary>Appends a path relative to <paramref name="prefix"/> (either <c>a.b</c> or <c>[0].a</c>).</summary>
    public static string Combine(string prefix, string relative)
    {
        if (prefix.Length == 0)
        {
            return relative;
        }

        if (relative.Length == 0)
        {
            return prefix;
        }

        return relative[0] == '[' ? prefix + relative : $"{prefix}.{relative}";
    }

    /// <summary>The validator writes <c>#/a.b</c>; the document uses <c>a.b</c>.</summary>
    public static string FromValidator(string? validatorPath)
    {
        if (string.IsNullOrEmpty(validatorPath))
        {
            return Root;
        }

        var path = validatorPath.StartsWith("#/", StringComparison.Ordinal) ? validatorPath[2..] : validatorPath.TrimStart('#');
        if (!path.Contains("['", StringComparison.Ordinal))
        {
            return path;
        }

        // Newtonsoft writes keys that contain dots, spaces or brackets as ['key']; the document writes them plainly.
        var plain = QuotedKey().Replace(path, match => "." + match.Groups[1].Value.Replace("\\'", "'", StringComparison.Ordinal));
        return plain.StartsWith('.') ? plain[1..] : plain;
    }

    [GeneratedRegex(@"\['((?:[^'\\]|\\.)*)'\]")]
    private static partial Regex QuotedKey();

    /// <summary>The enclosing path, or <see langword="null"/> for the root.</summary>
    public static string? Parent(string path)
    {
        if (path.Length == 0)
        {
            return null;
        }

        var cut = path[^1] == ']' ? path.LastIndexOf('[') : path.LastIndexOf('.');
        return cut <= 0 ? Root : path[..cut];
    }

    public static bool IsWithin(string path, string ancestor) =>
        path.Length == ancestor.Length
            ? string.Equals(path, ancestor, StringComparison.Ordinal)
            : ancestor.Length == 0
              || (path.StartsWith(ancestor, StringComparison.Ordinal) && path[ancestor.Length] is '.' or '[');

    public static string Display(string path) => path.Length == 0 ? "(root)" : path;
}
