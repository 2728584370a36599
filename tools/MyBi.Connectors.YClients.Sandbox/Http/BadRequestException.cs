namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>A request parameter the sandbox cannot accept; answered with HTTP 400 and the message.</summary>
internal sealed class BadRequestException(string message, string field) : Exception(message)
{
    public string Field { get; } = field;
}
