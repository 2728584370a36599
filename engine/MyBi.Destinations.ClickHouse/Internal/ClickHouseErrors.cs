using System.Net.Http;
using System.Net.Sockets;
using ClickHouse.Driver;
using MyBi.Abstractions.Errors;

namespace MyBi.Destinations.ClickHouse.Internal;

/// <summary>Turns driver and network failures into <see cref="MyBiException"/>s of the right kind, without secrets.</summary>
internal static class ClickHouseErrors
{
    // Server error codes (ClickHouse ErrorCodes.cpp) that mean the credentials or rights are wrong.
    private static readonly HashSet<int> s_credentialCodes = [192, 193, 194, 516];
    private const int AccessDenied = 497;

    // A user's query that outlives max_execution_time fails the same way again: not worth a retry.
    private const int TimeoutExceeded = 159;

    // Codes that describe a passing condition on the server: retrying may succeed.
    private static readonly HashSet<int> s_transientCodes =
    [
        3, // UNEXPECTED_END_OF_FILE (body cut off)
        159, // TIMEOUT_EXCEEDED
        202, // TOO_MANY_SIMULTANEOUS_QUERIES
        209, // SOCKET_TIMEOUT
        210, // NETWORK_ERROR
        236, // ABORTED
        241, // MEMORY_LIMIT_EXCEEDED
        242, // TABLE_IS_READ_ONLY
        252, // TOO_MANY_PARTS
        319, // UNKNOWN_STATUS_OF_INSERT
        394, // QUERY_WAS_CANCELLED
        425, // SYSTEM_ERROR
        999, // KEEPER_EXCEPTION
    ];

    /// <summary>
    /// Maps a failure of <paramref name="operation"/> (e.g. "writing table 'records'"). Cancellation requested by the
    /// caller passes through unchanged (returns null: rethrow the original).
    /// </summary>
    /// <param name="userSql">True when the statement is the user's own SQL, so its errors are configuration errors.</param>
    /// <param name="stream">The table the failure concerns, carried on the error so the run can name the stream.</param>
    public static MyBiException? Map(
        Exception error,
        ClickHouseEndpoint endpoint,
        string operation,
        CancellationToken cancellationToken,
        bool userSql = false,
        string? stream = null)
    {
        if (error is MyBiException)
        {
            return null;
        }

        if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var mapped = Classify(error, endpoint, operation, userSql);
        return stream is null ? mapped : new MyBiException(mapped.Kind, mapped.Message, error) { Stream = stream };
    }

    /// <summary>The connection check's own deadline ran out: the server is slow or absent, worth a retry.</summary>
    public static MyBiException CheckTimedOut(ClickHouseEndpoint endpoint, TimeSpan timeout, Exception error) => MyBiException.Transient(
        $"ClickHouse at {endpoint.Address} did not answer within {timeout.TotalSeconds:0.#} s; check Host and Port in 'connection' and that the server is up.",
        error);

    private static MyBiException Classify(Exception error, ClickHouseEndpoint endpoint, string operation, bool userSql)
    {
        var where = $"ClickHouse at {endpoint.Address}";
        switch (error)
        {
            case ClickHouseServerException server:
                return FromServer(server, endpoint, operation, userSql);
            case OperationCanceledException:
                return MyBiException.Transient($"{where} did not answer in time while {operation}; check the server's load and the network, then retry.", error);
            case HttpRequestException http when FindSocketError(http) is { } socket:
                return MyBiException.Transient($"Cannot reach {where} while {operation}: {Describe(socket)}.", error);
            case HttpRequestException { StatusCode: { } status } http:
                var code = (int)status;
                return code is 401 or 403
                    ? MyBiException.Config($"{where} refused the request while {operation} (HTTP {code}); check the user and password in 'connection'.", http)
                    : code >= 500 || code == 429
                        ? MyBiException.Transient($"{where} answered HTTP {code} while {operation}; retry later.", http)
                        : MyBiException.System($"{where} answered HTTP {code} while {operation}.", http);
            case HttpRequestException or IOException or SocketException:
                return MyBiException.Transient($"The connection to {where} broke while {operation}; retry once the server is reachable.", error);
            default:
                return MyBiException.System($"Unexpected failure while {operation} on {where}: {error.GetType().Name}: {FirstLine(error.Message)}", error);
        }
    }

    private static MyBiException FromServer(ClickHouseServerException server, ClickHouseEndpoint endpoint, string operation, bool userSql)
    {
        var code = server.ErrorCode;
        var where = $"ClickHouse at {endpoint.Address}";
        var message = FirstLine(server.Message);
        if (s_credentialCodes.Contains(code))
        {
            return MyBiException.Config($"{where} refused the credentials of user '{endpoint.User}' (code {code}); check the user and password in 'connection'.", server);
        }

        if (code == AccessDenied)
        {
            return MyBiException.Config($"{where} denied user '{endpoint.User}' the rights needed for {operation} (code {code}): {message}", server);
        }

        if (userSql && code == TimeoutExceeded)
        {
            return MyBiException.Config(
                $"The query ran longer than the destination's query_timeout and {where} cancelled it (code {code}): {message}; narrow it, or raise query_timeout in the pipeline's destination.",
                server);
        }

        if (s_transientCodes.Contains(code))
        {
            return MyBiException.Transient($"{where} failed while {operation} with a passing error (code {code}): {message}", server);
        }

        return userSql
            ? MyBiException.Config($"The query failed in {where} (code {code}): {message}", server)
            : MyBiException.System($"{where} failed while {operation} (code {code}): {message}", server);
    }

    private static SocketException? FindSocketError(Exception error)
    {
        for (var current = error.InnerException; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket;
            }
        }

        return null;
    }

    private static string Describe(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused (is the server running and listening on this port?)",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found (check Host in 'connection')",
        SocketError.TimedOut => "connection timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
        SocketError.ConnectionReset or SocketError.ConnectionAborted => "connection reset",
        _ => "network error " + socket.SocketErrorCode,
    };

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length <= 500 ? line : line[..500] + "…";
    }
}
