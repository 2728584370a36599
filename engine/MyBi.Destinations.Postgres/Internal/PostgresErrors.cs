using System.Net.Sockets;
using MyBi.Abstractions.Errors;
using Npgsql;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// Turns driver exceptions into one-line <see cref="MyBiException"/>s of the right kind. Messages name host:port,
/// user, database and table, never the password; server message texts are kept because they name the column or
/// constraint at fault and carry no secret.
/// </summary>
internal sealed class PostgresErrors
{
    private readonly PostgresEndpoint _endpoint;

    public PostgresErrors(PostgresEndpoint endpoint)
    {
        _endpoint = endpoint;
    }

    /// <summary>Whether an exception is one the driver raised (and so one this class maps).</summary>
    public static bool IsDriverError(Exception exception) =>
        exception is NpgsqlException or TimeoutException or SocketException or IOException;

    public MyBiException Map(Exception exception, string? table = null)
    {
        var where = table is null ? string.Empty : $" (table {table})";
        var error = exception switch
        {
            PostgresException pg => FromServer(pg, where),
            _ when Find<SocketException>(exception) is { } socket => FromSocket(socket, exception, where),
            _ when Find<TimeoutException>(exception) is not null => MyBiException.Transient(
                $"PostgreSQL at {_endpoint} did not answer in time{where}; check that the server is reachable, then retry.",
                exception),
            NpgsqlException npgsql when IsMissingPassword(npgsql) => Credentials(exception),
            NpgsqlException { IsTransient: true } or IOException => MyBiException.Transient(
                $"Lost the connection to PostgreSQL at {_endpoint}{where}; the write will be retried.",
                exception),
            _ => MyBiException.System($"PostgreSQL at {_endpoint} failed{where}: {OneLine(exception.Message)}", exception),
        };
        // Detail keeps the server's SQLSTATE for logs; the server's own detail line is left out, as it quotes row values.
        return new MyBiException(error.Kind, error.Message, exception)
        {
            Stream = table,
            Detail = exception is PostgresException p ? $"SQLSTATE {p.SqlState}: {OneLine(p.MessageText)}" : OneLine(exception.Message),
        };
    }

    public MyBiException CheckTimedOut(TimeSpan timeout, Exception exception) => MyBiException.Transient(
        $"PostgreSQL at {_endpoint} did not answer within {timeout.TotalSeconds:0.#} s; check that the server runs and the host and port are right.",
        exception);

    private MyBiException FromServer(PostgresException pg, string where)
    {
        var text = OneLine(pg.MessageText);
        var state = pg.SqlState;
        return state switch
        {
            "28P01" or "28000" => Credentials(pg),
            "3D000" => MyBiException.Config(
                $"PostgreSQL at {_endpoint} has no database '{_endpoint.Database}'; create it or fix Database in the connection string.", pg),
            "42501" => MyBiException.Config(
                $"PostgreSQL at {_endpoint} denied user '{_endpoint.Username}' a privilege{where}: {text}; grant it or use another user.", pg),
            "25006" => MyBiException.Config($"Only read-only queries are allowed; PostgreSQL refused a write: {text}.", pg),
            "57014" => MyBiException.Transient($"PostgreSQL at {_endpoint} cancelled a statement{where} (timeout): {text}.", pg),
            _ when pg.IsTransient || state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal)
                || state.StartsWith("53", StringComparison.Ordinal) => MyBiException.Transient(
                    $"PostgreSQL at {_endpoint} dropped the connection or refused for now{where}: {text}; the write will be retried.", pg),
            _ when state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("23", StringComparison.Ordinal) => MyBiException.Config(
                $"PostgreSQL at {_endpoint} refused the data{where}: {text}.", pg),
            _ when state.StartsWith("42", StringComparison.Ordinal) || state.StartsWith("0A", StringComparison.Ordinal)
                || state.StartsWith("3F", StringComparison.Ordinal) || state.StartsWith("34", StringComparison.Ordinal) => MyBiException.Config(
                    $"PostgreSQL at {_endpoint} refused the statement{where}: {text}.", pg),
            _ => MyBiException.System($"PostgreSQL at {_endpoint} failed{where}: {state} {text}.", pg),
        };
    }

    private MyBiException FromSocket(SocketException socket, Exception exception, string where) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => MyBiException.Transient(
            $"Cannot connect to PostgreSQL at {_endpoint}: connection refused; check that the server runs and the host and port are right.",
            exception),
        SocketError.HostNotFound or SocketError.NoData => MyBiException.Config(
            $"Cannot connect to PostgreSQL at {_endpoint}: the host name is not known; fix Host in the connection string.", exception),
        SocketError.TimedOut => MyBiException.Transient(
            $"Cannot connect to PostgreSQL at {_endpoint}: the connection timed out; check the host, port and firewall.", exception),
        _ => MyBiException.Transient(
            $"Lost the connection to PostgreSQL at {_endpoint}{where} ({socket.SocketErrorCode}); the write will be retried.", exception),
    };

    private MyBiException Credentials(Exception exception) => MyBiException.Config(
        $"PostgreSQL at {_endpoint} refused the credentials for user '{_endpoint.Username}'; check Username and Password in the connection string.",
        exception);

    // Npgsql reports a server that asks for a password the connection string lacks without a SQLSTATE.
    private static bool IsMissingPassword(NpgsqlException exception) =>
        exception.InnerException is null && exception.Message.Contains("password", StringComparison.OrdinalIgnoreCase);

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string OneLine(string text) =>
        text.ReplaceLineEndings(" ").Trim().TrimEnd('.');
}
