using System.Globalization;
using System.Net.Sockets;
using MyBi.Abstractions.Errors;

namespace MyBi.Connectors.YClients.Http;

/// <summary>The one-line errors of failed API calls.</summary>
internal static class ApiErrors
{
    public static MyBiException NoRights(ApiRequest request, AttemptResult result) =>
        new CompanyAccessException(
            request.CompanyId,
            $"the YCLIENTS user has no right to {request.Purpose} in company {request.CompanyId?.ToString(CultureInfo.InvariantCulture) ?? "(none)"} ({result.Status} {result.Message}): grant the right in YCLIENTS or stop loading this stream.")
        {
            Stream = request.Stream,
        };

    public static MyBiException CompanyNotFound(ApiRequest request, long companyId, AttemptResult result) =>
        new CompanyAccessException(
            companyId,
            $"company {companyId} not found in YCLIENTS ({result.Status} {result.Message}): check company_id / company_ids in source.config.")
        {
            Stream = request.Stream,
        };

    public static MyBiException Unexpected(ApiRequest request, AttemptResult result) =>
        new MyBiException(FailureKind.System, $"YCLIENTS rejected the request to {request.Purpose} ({result.Status} {result.Message}).")
        {
            Stream = request.Stream,
            Detail = $"{request.Method} {request.Path}",
        };

    public static string Reason(HttpRequestException ex)
    {
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
                    SocketError.TimedOut => "connection timed out",
                    SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
                    SocketError.ConnectionReset => "connection reset",
                    _ => socket.SocketErrorCode.ToString(),
                };
            }
        }

        return ex.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "host not found",
            HttpRequestError.ConnectionError => "connection failed",
            HttpRequestError.SecureConnectionError => "TLS handshake failed",
            HttpRequestError.ResponseEnded => "the connection closed before the answer ended",
            _ => ex.HttpRequestError.ToString(),
        };
    }
}
