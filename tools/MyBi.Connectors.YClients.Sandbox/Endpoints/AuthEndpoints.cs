using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary><c>POST /auth</c>: 201 with the user and token; for a two-factor user first 200 with a challenge.</summary>
internal sealed class AuthEndpoints(SandboxRuntime runtime)
{
    public void Map(IEndpointRouteBuilder routes) =>
        EndpointMapper.Post(routes, "/auth", AccessLevel.Partner, Permission.None, AuthenticateAsync);

    private async Task AuthenticateAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var root = body.RootElement;
        var login = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("login", out var l) ? l.ToString() : "";
        var password = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("password", out var p) ? p.ToString() : "";
        if (login.Length == 0 || password.Length == 0)
        {
            throw new BadRequestException("Не указан логин или пароль", login.Length == 0 ? "login" : "password");
        }

        var user = SandboxUser.ByLogin(login);
        if (user is null || !string.Equals(password, SandboxCredentials.Password, StringComparison.Ordinal))
        {
            await Envelope.ErrorAsync(context, 401, "Неверный логин или пароль").ConfigureAwait(false);
            return;
        }

        if (!user.TwoFactor)
        {
            await WriteUserAsync(context, user).ConfigureAwait(false);
            return;
        }

        if (!root.TryGetProperty("2fa", out var twoFactor) || twoFactor.ValueKind != JsonValueKind.Object)
        {
            await WriteChallengeAsync(context, user).ConfigureAwait(false);
            return;
        }

        var uuid = twoFactor.TryGetProperty("uuid", out var u) ? u.ToString() : "";
        var secret = twoFactor.TryGetProperty("secret", out var s) ? s.ToString() : "";
        switch (runtime.TwoFactor.Verify(uuid, user, secret, out var attemptsLeft))
        {
            case TwoFactorChallenges.Outcome.Passed:
                await WriteUserAsync(context, user).ConfigureAwait(false);
                break;
            case TwoFactorChallenges.Outcome.WrongCode:
                await Envelope.ErrorAsync(context, 401, $"Неверный код подтверждения. Осталось попыток: {attemptsLeft}").ConfigureAwait(false);
                break;
            default:
                await Envelope.ErrorAsync(context, 401, "Запрос подтверждения не найден или истёк. Начните вход заново").ConfigureAwait(false);
                break;
        }
    }

    private static Task WriteUserAsync(HttpContext context, SandboxUser user) => Envelope.ObjectAsync(context, w =>
    {
        w.WriteStartObject();
        w.WriteNumber("id", user.Id);
        w.WriteString("user_token", user.Token);
        w.WriteString("name", user.Name);
        w.WriteString("phone", user.Phone);
        w.WriteString("login", user.Login);
        w.WriteString("email", user.Email);
        w.WriteString("avatar", "https://assets.yclients.com/general/0/01/example_avatar.png");
        w.WriteBoolean("is_approved", true);
        w.WriteBoolean("is_email_confirmed", true);
        w.WriteEndObject();
    }, 201);

    private Task WriteChallengeAsync(HttpContext context, SandboxUser user)
    {
        var uuid = runtime.TwoFactor.Issue(user);
        var at = user.Email.IndexOf('@', StringComparison.Ordinal);
        var masked = at > 1 ? user.Email[..2] + new string('*', Math.Max(1, at - 2)) + user.Email[at..] : user.Email;
        return Envelope.ObjectAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("uuid", uuid);
            w.WriteString("flow", "email");
            w.WriteStartObject("transport");
            w.WriteString("type", "email");
            w.WriteString("recipient", masked);
            w.WriteEndObject();
            w.WriteNumber("refresh_ttl_sec", 60);
            w.WriteNumber("attempts_left", TwoFactorChallenges.Attempts);
            w.WriteEndObject();
        });
    }
}
