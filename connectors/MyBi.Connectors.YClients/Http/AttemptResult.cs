namespace MyBi.Connectors.YClients.Http;

/// <summary>What one HTTP attempt got back: status, parsed envelope (when the body was one) and Retry-After.</summary>
internal sealed class AttemptResult
{
    public required int Status { get; init; }

    public ApiEnvelope? Envelope { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Whether the body was JSON at all (an envelope or not).</summary>
    public bool IsJson { get; init; } = true;

    /// <summary>The media type of the body, for messages; null when the answer named none.</summary>
    public string? ContentType { get; init; }

    /// <summary>An answer to the login exchange: its refusals are final even when sent with a 2xx.</summary>
    public bool IsAuth { get; init; }

    public bool IsSuccessStatus => Status is >= 200 and < 300;

    /// <summary>The error text of the answer (meta.message), or the HTTP reason when there is none.</summary>
    public string Message => Envelope?.Message is { Length: > 0 } message ? message : DefaultMessage(Status);

    /// <summary>Whether another attempt may get a different answer.</summary>
    public bool IsRetryable
    {
        get
        {
            if (Status == 429 || Status >= 500)
            {
                return true;
            }

            if (!IsSuccessStatus || IsAuth)
            {
                return false;
            }

            // A 2xx that is not JSON at all (a login page, a proxy's HTML) will be the same on every attempt. A JSON 2xx
            // that is not an envelope, or one with success:false that is neither "not found" nor "no rights", is a
            // passing fault of the API.
            if (!IsJson)
            {
                return false;
            }

            return Envelope is null || (!Envelope.Success && ErrorText.Classify(Envelope.Message) == ErrorTextKind.Other);
        }
    }

    private static string DefaultMessage(int status) => status switch
    {
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not found",
        429 => "too many requests",
        _ => $"HTTP {status}",
    };
}
