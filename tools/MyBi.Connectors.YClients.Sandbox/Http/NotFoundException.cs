namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>An unknown entity; answered with HTTP 404 and the message.</summary>
internal sealed class NotFoundException(string message = NotFoundException.DefaultMessage) : Exception(message)
{
    public const string DefaultMessage = "Не найдено";
    public const string CompanyMessage = "Филиал не найден.";
}
