namespace MyBi.Connectors.YClients;

/// <summary>What goes into a generated YCLIENTS pipeline file. It holds no secret: tokens and passwords are
/// referenced as <c>${ENV}</c> variables named from <see cref="EnvPrefix"/>.</summary>
public sealed class PipelineTemplateModel
{
    /// <summary>Pipeline name (lowercase letters, digits, '_' and '-').</summary>
    public string Name { get; init; } = "yclients";

    /// <summary>The API root when it is not the public YCLIENTS API (an emulator); null leaves base_url out.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>Companies to load; empty loads every company the user manages.</summary>
    public IReadOnlyList<long> CompanyIds { get; init; } = [];

    /// <summary>Reference login and password variables instead of a user token variable.</summary>
    public bool UseLogin { get; init; }

    /// <summary>Streams to load; empty means every stream of the connector.</summary>
    public IReadOnlyList<string> Streams { get; init; } = [];

    /// <summary>Destination type: duckdb, postgres or clickhouse.</summary>
    public string DestinationType { get; init; } = "duckdb";

    /// <summary>DuckDB file, relative to the pipeline file.</summary>
    public string DuckDbPath { get; init; } = "yclients.duckdb";

    /// <summary>Prefix of the environment variables (YCLIENTS gives YCLIENTS_PARTNER_TOKEN, ...).</summary>
    public string EnvPrefix { get; init; } = "YCLIENTS";

    /// <summary>Days re-read before the cursor on incremental runs.</summary>
    public int LookbackDays { get; init; } = 3;

    /// <summary>Days loaded on the first run.</summary>
    public int FirstRunDays { get; init; } = 2;
}
