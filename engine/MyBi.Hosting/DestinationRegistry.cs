using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Destinations.ClickHouse;
using MyBi.Destinations.DuckDb;
using MyBi.Destinations.Postgres;

namespace MyBi.Hosting;

/// <summary>The first-party destinations the engine ships with.</summary>
public static class DestinationRegistry
{
    private static readonly DestinationProvider[] s_providers =
    [
        new DuckDbDestinationProvider(),
        new PostgresDestinationProvider(),
        new ClickHouseDestinationProvider(),
    ];

    /// <summary>The destination types, in the order they are offered.</summary>
    public static IReadOnlyList<string> Types { get; } = s_providers.Select(p => p.Type).ToArray();

    /// <summary>The provider of a destination type; an unknown type is a configuration error.</summary>
    public static DestinationProvider Get(string type) =>
        s_providers.FirstOrDefault(p => string.Equals(p.Type, type, StringComparison.Ordinal))
        ?? throw MyBiException.Config($"Unknown destination type '{type}'; use one of: {string.Join(", ", s_providers.Select(p => p.Type))}.");
}
