using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Connectors.YClients.Sandbox.Data;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary><c>GET</c>/<c>POST /hooks_settings/{company_id}</c>; <c>urls</c> (1 to 10) and <c>active</c> are required.</summary>
internal sealed class HookEndpoints(SandboxRuntime runtime)
{
    public const int MaxUrls = 10;

    public void Map(IEndpointRouteBuilder routes)
    {
        EndpointMapper.Get(routes, "/hooks_settings/{company_id}", AccessLevel.User, Permission.Settings, GetAsync);
        EndpointMapper.Post(routes, "/hooks_settings/{company_id}", AccessLevel.User, Permission.Settings, SaveAsync);
    }

    private Task GetAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var settings = runtime.Data.Hooks(set.Company.Id);
        return Envelope.ObjectAsync(context, w => HooksJson.Write(w, settings));
    }

    private async Task SaveAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("urls", out var urls) || urls.ValueKind != JsonValueKind.Array
            || urls.GetArrayLength() is 0 or > MaxUrls || urls.EnumerateArray().Any(u => u.ValueKind != JsonValueKind.String))
        {
            throw new BadRequestException($"Поле urls обязательно: от 1 до {MaxUrls} адресов", "urls");
        }

        if (!root.TryGetProperty("active", out var active))
        {
            throw new BadRequestException("Поле active обязательно", "active");
        }

        var flags = HooksSettings.FlagNames.ToDictionary(n => n, n => root.TryGetProperty(n, out var v) ? Bit(v) : 0, StringComparer.Ordinal);
        var settings = new HooksSettings([.. urls.EnumerateArray().Select(u => u.GetString()!)], Bit(active), flags);
        runtime.Data.SetHooks(set.Company.Id, settings);
        await Envelope.ObjectAsync(context, w => HooksJson.Write(w, settings), 201).ConfigureAwait(false);
    }

    private static int Bit(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => 1,
        JsonValueKind.Number => value.TryGetInt32(out var n) && n != 0 ? 1 : 0,
        JsonValueKind.String => value.GetString() is "1" or "true" ? 1 : 0,
        _ => 0,
    };
}
