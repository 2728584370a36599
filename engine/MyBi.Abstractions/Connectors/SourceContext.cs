using System.Text.Json.Nodes;

namespace MyBi.Abstractions.Connectors;

/// <summary>Everything a connector gets from the engine to open a session.</summary>
public sealed class SourceContext
{
    /// <summary>
    /// The <c>source.config</c> block of the pipeline, validated against <see cref="SourceConnector.ConfigSchema"/>,
    /// with <c>${ENV}</c> references already replaced. Values marked <c>"x-secret": true</c> must never be logged.
    /// </summary>
    public required JsonObject Config { get; init; }

    /// <summary>The folder of the pipeline file, for resolving relative paths.</summary>
    public string BaseDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>The clock; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Progress receiver.</summary>
    public SourceObserver Observer { get; init; } = SourceObserver.None;

    /// <summary>
    /// The request budgets the host keeps for the whole process, one per source account, shared by every pipeline
    /// and every load of a plugin; null when the host keeps none, and the connector then keeps its own.
    /// </summary>
    public RateBudgets? RateBudgets { get; init; }
}
