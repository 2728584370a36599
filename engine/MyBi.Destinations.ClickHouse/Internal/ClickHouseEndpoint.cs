using System.Globalization;

namespace MyBi.Destinations.ClickHouse.Internal;

/// <summary>Where the server is, for messages: never carries the password.</summary>
internal sealed record ClickHouseEndpoint(string Protocol, string Host, int Port, string User)
{
    /// <summary>host:port.</summary>
    public string Address => Host.Contains(':', StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
