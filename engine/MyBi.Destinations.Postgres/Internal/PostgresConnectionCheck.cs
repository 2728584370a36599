using MyBi.Abstractions.Errors;
using Npgsql;
using NpgsqlTypes;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// Connects once, outside the pool, with a short connect timeout, and checks the user may create tables in the
/// schema. The driver does not cancel every phase of a connection attempt (a server that accepts TCP but never
/// answers would hold the pool's 15 s timeout), so the check bounds the wait itself.
/// </summary>
internal sealed class PostgresConnectionCheck
{
    private const string CanCreateSql = """
        SELECT CASE WHEN n.oid IS NULL THEN has_database_privilege(current_database(), 'CREATE')
                    ELSE has_schema_privilege(n.oid, 'CREATE') END
        FROM (SELECT 1) AS one
        LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = @schema
        """;

    private readonly string _connectionString;
    private readonly PostgresEndpoint _endpoint;
    private readonly string _schema;
    private readonly TimeSpan _timeout;
    private readonly PostgresErrors _errors;

    public PostgresConnectionCheck(string connectionString, PostgresEndpoint endpoint, string schema, TimeSpan timeout, PostgresErrors errors)
    {
        _timeout = timeout;
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
            Pooling = false,
        }.ConnectionString;
        _endpoint = endpoint;
        _schema = schema;
        _errors = errors;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        bool canCreate;
        try
        {
            await using var connection = await OpenAsync(timeout.Token, cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(CanCreateSql, connection);
            command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(_timeout.TotalSeconds));
            command.Parameters.AddWithValue("schema", NpgsqlDbType.Text, _schema);
            canCreate = (bool)(await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTimeout(ex))
        {
            throw _errors.CheckTimedOut(_timeout, ex);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverError(ex))
        {
            throw _errors.Map(ex);
        }

        if (!canCreate)
        {
            throw MyBiException.Config(
                $"User '{_endpoint.Username}' may not create tables in schema {_schema} of database {_endpoint.Database} at {_endpoint}; grant CREATE on the schema (or the database) or choose another schema.");
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken timeoutToken, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        var open = connection.OpenAsync(timeoutToken);
        try
        {
            await open.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            // A connection still connecting cannot be closed; the attempt ends within its connect timeout.
            _ = open.ContinueWith(
                attempt =>
                {
                    _ = attempt.Exception;
                    connection.Dispose();
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            throw;
        }
    }

    private static bool IsTimeout(Exception exception) =>
        exception is OperationCanceledException or TimeoutException || exception.InnerException is TimeoutException;
}
