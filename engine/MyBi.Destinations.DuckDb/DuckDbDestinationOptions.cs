using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;

namespace MyBi.Destinations.DuckDb;

/// <summary>Settings of the embedded DuckDB destination (<c>destination: {type: duckdb, path: ./warehouse.duckdb}</c>).</summary>
public sealed class DuckDbDestinationOptions
{
    /// <summary>The file used when the pipeline names none.</summary>
    public const string DefaultPath = "warehouse.duckdb";

    private static readonly string[] s_knownKeys = ["type", "path"];

    /// <summary>Creates options for a database file.</summary>
    /// <param name="path">Absolute path of the database file; its folder is created when missing.</param>
    public DuckDbDestinationOptions(string path)
    {
        Path = path;
    }

    /// <summary>Absolute path of the database file.</summary>
    public string Path { get; }

    /// <summary>
    /// Binds and validates a <c>destination</c> block; a relative <c>path</c> resolves against
    /// <paramref name="baseDirectory"/> (the pipeline's folder).
    /// </summary>
    public static DuckDbDestinationOptions FromConfig(JsonObject config, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseDirectory);
        foreach (var (key, _) in config)
        {
            if (!s_knownKeys.Contains(key, StringComparer.Ordinal))
            {
                throw MyBiException.Config($"The duckdb destination has no setting '{key}'; it knows: path.");
            }
        }

        var path = DefaultPath;
        if (config["path"] is { } node)
        {
            if (node.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(node.GetValue<string>()))
            {
                throw MyBiException.Config("The duckdb destination's 'path' must be a file path such as ./warehouse.duckdb.");
            }

            path = node.GetValue<string>();
        }

        var options = new DuckDbDestinationOptions(System.IO.Path.GetFullPath(path, System.IO.Path.GetFullPath(baseDirectory)));
        options.Validate();
        return options;
    }

    /// <summary>Checks the options; throws a Config error naming the problem.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path) || !System.IO.Path.IsPathFullyQualified(Path))
        {
            throw MyBiException.Config($"The duckdb destination's path '{Path}' must be an absolute file path.");
        }

        if (Path.Contains(":memory:", StringComparison.OrdinalIgnoreCase))
        {
            throw MyBiException.Config("The duckdb destination needs a file: an in-memory database would lose the data when the run ends.");
        }

        if (Directory.Exists(Path))
        {
            throw MyBiException.Config($"The duckdb destination's path '{Path}' is a folder; name a file inside it, such as {System.IO.Path.Combine(Path, DefaultPath)}.");
        }
    }
}
