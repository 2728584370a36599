namespace MyBi.Destinations.Postgres.Internal;

/// <summary>Where a destination connects, for messages; it never holds the password.</summary>
internal sealed record PostgresEndpoint(string Host, int Port, string Database, string Username)
{
    public override string ToString() => $"{Host}:{Port}";
}
