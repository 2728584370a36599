using MyBi.Abstractions.Connectors;
using MyBi.Pipelines;

namespace MyBi.Benchmarks;

/// <summary>What <see cref="SyncBenchmark.RunAsync"/> syncs: the sandbox's volume, the streams, and the rounds.</summary>
public sealed class SyncBenchmarkOptions
{
    /// <summary>The YCLIENTS connector, loaded the way <c>mybi sync</c> loads it (from its plugin folder).</summary>
    public required SourceConnector Connector { get; init; }

    /// <summary>Companies of the sandbox, all synced.</summary>
    public int Companies { get; init; } = 5;

    /// <summary>Days of history; the large size syncs all of them, the small size the last quarter.</summary>
    public int Days { get; init; } = 365;

    /// <summary>Records per company and day in the sandbox.</summary>
    public int RecordsPerDay { get; init; } = 130;

    /// <summary>The streams synced; all of them come from the <c>/records</c> pages.</summary>
    public IReadOnlyList<string> Streams { get; init; } = ["records"];

    /// <summary>Measured rounds per size (engine then ceiling, or the other way round); the median is reported.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Rows per destination write; a pipeline's default unless set.</summary>
    public int BatchSize { get; init; } = SyncDefinition.DefaultBatchSize;

    /// <summary>Seed of the sandbox's data.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The engine's clock: "today" of the sandbox's data and of the synced period.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Folder for the DuckDB files (one per round, deleted afterwards); null takes a fresh temporary folder.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The sizes <c>--rows</c> names.</summary>
    public static SyncBenchmarkOptions ForSize(string size, SourceConnector connector) => size switch
    {
        "small" => new SyncBenchmarkOptions { Connector = connector, Companies = 1, Days = 20, RecordsPerDay = 40, Rounds = 1 },
        "medium" => new SyncBenchmarkOptions { Connector = connector, Companies = 2, Days = 120, RecordsPerDay = 100 },
        "large" => new SyncBenchmarkOptions { Connector = connector },
        _ => throw new ArgumentException($"Unknown benchmark size '{size}'; use small, medium or large.", nameof(size)),
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Connector);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        Require(Companies is >= 1 and <= 50, nameof(Companies), "must be between 1 and 50", Companies);
        Require(Days is >= 4 and <= 3660, nameof(Days), "must be between 4 and 3660", Days);
        Require(RecordsPerDay is >= 1 and <= 100_000, nameof(RecordsPerDay), "must be between 1 and 100000", RecordsPerDay);
        Require(Rounds is >= 1 and <= 15, nameof(Rounds), "must be between 1 and 15", Rounds);
        Require(BatchSize >= 1, nameof(BatchSize), "must be at least 1", BatchSize);
        Require(Streams is { Count: > 0 }, nameof(Streams), "must name at least one stream", Streams?.Count ?? 0);
    }

    private static void Require(bool condition, string name, string rule, object value)
    {
        if (!condition)
        {
            throw new ArgumentException($"Sync benchmark option {name} {rule} (got {value}).", name);
        }
    }
}
