using System.Data.Common;
using ClickHouse.Driver.ADO.Readers;
using ClickHouse.Driver;
using ClickHouse.Driver.ADO;
using ClickHouse.Driver.ADO.Parameters;
using MyBi.Abstractions.Errors;

namespace MyBi.Destinations.ClickHouse.Internal;

/// <summary>
/// Every call to the server goes through here, so every driver, HTTP and socket failure reaches
/// <see cref="ClickHouseErrors.Map"/> at one catch and leaves as a <see cref="MyBiException"/> naming host and port.
/// </summary>
internal sealed class ClickHouseCommands : IDisposable
{
    private readonly ClickHouseClient _client;

    public ClickHouseCommands(ClickHouseClient client, ClickHouseEndpoint endpoint)
    {
        _client = client;
        Endpoint = endpoint;
    }

    public ClickHouseEndpoint Endpoint { get; }

    /// <summary>Runs <paramref name="call"/> and maps its failure; the single catch of driver errors.</summary>
    /// <param name="stream">The table concerned, carried on the error.</param>
    /// <param name="userSql">The statement is the user's own SQL: its server errors are configuration errors.</param>
    public async Task<T> RunAsync<T>(
        Func<ClickHouseClient, CancellationToken, Task<T>> call,
        string operation,
        CancellationToken cancellationToken,
        string? stream = null,
        bool userSql = false)
    {
        try
        {
            return await call(_client, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ClickHouseErrors.Map(ex, Endpoint, operation, cancellationToken, userSql, stream) is { } mapped)
        {
            throw mapped;
        }
    }

    public Task<int> ExecuteAsync(string sql, string operation, CancellationToken cancellationToken, ClickHouseParameterCollection? parameters = null, string? stream = null) =>
        RunAsync((client, ct) => client.ExecuteNonQueryAsync(sql, parameters!, null!, ct), operation, cancellationToken, stream);

    public Task<object> ScalarAsync(string sql, ClickHouseParameterCollection? parameters, string operation, CancellationToken cancellationToken) =>
        RunAsync((client, ct) => client.ExecuteScalarAsync(sql, parameters!, null!, ct), operation, cancellationToken);

    public Task<ClickHouseDataReader> OpenReaderAsync(
        string sql,
        ClickHouseParameterCollection? parameters,
        QueryOptions? options,
        string operation,
        CancellationToken cancellationToken,
        bool userSql = false) =>
        RunAsync((client, ct) => client.ExecuteReaderAsync(sql, parameters!, options!, ct), operation, cancellationToken, userSql: userSql);

    /// <summary>The next row of a reader: the response streams, so reading can fail as the request can.</summary>
    public Task<bool> ReadAsync(DbDataReader reader, string operation, CancellationToken cancellationToken, bool userSql = false) =>
        RunAsync((_, ct) => reader.ReadAsync(ct), operation, cancellationToken, userSql: userSql);

    public void Dispose() => _client.Dispose();
}
