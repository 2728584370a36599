using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MyBi.Abstractions.Errors;

namespace MyBi.Destinations.DuckDb;

/// <summary>Settings of the embedded DuckDB destination (<c>destination: {type: duckdb, path: ./warehouse.duckdb}</c>).</summary>
public sealed partial class DuckDbDestinationOptions
{
    /// <summary>The file used when the pipeline names none.</summary>
    public const string DefaultPath = "warehouse.duckdb";

    /// <summary>
    /// The memory DuckDB may use when the pipeline sets none. DuckDB's own default is 80 % of the machine's RAM,
    /// too much for a tool that shares the machine with everything else.
    /// </summary>
    public const string DefaultMemoryLimit = "2GB";

    /// <summary>The most worker threads used when the pipeline sets none (fewer on a machine with fewer cores).</summary>
    public const int DefaultThreads = 4;

    /// <summary>
    /// The worker threads used when the pipeline sets none: one on a machine of two cores or fewer, else the core
    /// count up to <see cref="DefaultThreads"/>. On two cores the engine itself (HTTP, parsing, webhook requests)
    /// needs the second one, and a second DuckDB worker doubles the CPU of the many small transactions (webhook
    /// commits, run bookkeeping) while a sync's large batches gain nothing measurable from it.
    /// </summary>
    public static int DefaultThreadsFor(int cores) => cores <= 2 ? 1 : Math.Min(cores, DefaultThreads);

    private static readonly string[] s_knownKeys = ["type", "path", "memory_limit", "threads"];

    /// <summary>Creates options for a database file.</summary>
    /// <param name="path">Absolute path of the database file; its folder is created when missing.</param>
    /// <param name="memoryLimit">DuckDB's <c>memory_limit</c>, such as <c>2GB</c> or <c>512MB</c>.</param>
    /// <param name="threads">DuckDB's worker threads; null for <see cref="DefaultThreadsFor"/> the machine's cores.</param>
    public DuckDbDestinationOptions(string path, string memoryLimit = DefaultMemoryLimit, int? threads = null)
    {
        Path = path;
        MemoryLimit = memoryLimit;
        Threads = threads ?? DefaultThreadsFor(Environment.ProcessorCount);
    }

    /// <summary>Absolute path of the database file.</summary>
    public string Path { get; }

    /// <summary>DuckDB's <c>memory_limit</c>: a number and a unit (KB, MB, GB, TB or KiB, MiB, GiB, TiB).</summary>
    public string MemoryLimit { get; }

    /// <summary>DuckDB's worker threads.</summary>
    public int Threads { get; }

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
                throw MyBiException.Config($"The duckdb destination has no setting '{key}'; it knows: path, memory_limit, threads.");
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

        var memoryLimit = DefaultMemoryLimit;
        if (config["memory_limit"] is { } memory)
        {
            if (memory.GetValueKind() != JsonValueKind.String)
            {
                throw MyBiException.Config("The duckdb destination's 'memory_limit' must be a size such as 2GB or 512MB.");
            }

            memoryLimit = memory.GetValue<string>();
        }

        int? threads = null;
        if (config["threads"] is { } count)
        {
            // A pipeline file's numbers arrive as long, a JSON document's as JsonElement: accept any whole number.
            var number = count.GetValueKind() == JsonValueKind.Number ? count.AsValue() : null;
            if (number is not null && number.TryGetValue<int>(out var value))
            {
                threads = value;
            }
            else if (number is not null && number.TryGetValue<long>(out var wide))
            {
                threads = (int)Math.Clamp(wide, 0, 1025);
            }
            else
            {
                throw MyBiException.Config("The duckdb destination's 'threads' must be a whole number such as 4.");
            }
        }

        var options = new DuckDbDestinationOptions(System.IO.Path.GetFullPath(path, System.IO.Path.GetFullPath(baseDirectory)), memoryLimit, threads);
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

        // Checked here rather than left to DuckDB: the value is written into a SET statement.
        var size = Size().Match(MemoryLimit ?? string.Empty);
        if (!size.Success || decimal.Parse(size.Groups["amount"].Value, CultureInfo.InvariantCulture) <= 0)
        {
            throw MyBiException.Config($"The duckdb destination's 'memory_limit' '{MemoryLimit}' is not a size; write a number and a unit, such as 2GB or 512MB.");
        }

        if (Threads is < 1 or > 1024)
        {
            throw MyBiException.Config($"The duckdb destination's 'threads' must be between 1 and 1024, not {Threads}.");
        }
    }

    [GeneratedRegex(@"^(?<amount>[0-9]{1,9}(\.[0-9]{1,3})?) ?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Size();
}
