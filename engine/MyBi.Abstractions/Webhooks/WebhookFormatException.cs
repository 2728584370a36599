using MyBi.Abstractions.Errors;

namespace MyBi.Abstractions.Webhooks;

/// <summary>A webhook body that is no event of the source; the message says why, in one line, without the body.</summary>
public sealed class WebhookFormatException : MyBiException
{
    /// <summary>Creates the error.</summary>
    public WebhookFormatException(string message)
        : base(FailureKind.Config, message)
    {
    }
}
