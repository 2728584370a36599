namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>The user lacks rights; answered with HTTP 403.</summary>
internal sealed class ForbiddenException() : Exception(Message403)
{
    public const string Message403 = "Недостаточно прав";
}
