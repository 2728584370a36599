using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Connectors.YClients.Sandbox.Http;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary>Maps a route under <c>/api/v1</c> with its statistics key and access requirement.</summary>
internal static class EndpointMapper
{
    public const string BasePath = "/api/v1";

    public static void Get(IEndpointRouteBuilder routes, string template, AccessLevel level, Permission permission, RequestDelegate handler) =>
        Map(routes, "GET", template, level, permission, handler);

    public static void Post(IEndpointRouteBuilder routes, string template, AccessLevel level, Permission permission, RequestDelegate handler) =>
        Map(routes, "POST", template, level, permission, handler);

    private static void Map(IEndpointRouteBuilder routes, string method, string template, AccessLevel level, Permission permission, RequestDelegate handler) =>
        routes.MapMethods(BasePath + template, [method], handler)
            .WithMetadata(new EndpointTemplate(template), new AccessRequirement(level, permission));
}
