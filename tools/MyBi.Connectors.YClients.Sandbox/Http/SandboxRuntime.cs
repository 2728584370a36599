using Microsoft.AspNetCore.Http;
using MyBi.Connectors.YClients.Sandbox.Data;
using MyBi.Connectors.YClients.Sandbox.Middleware;

namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>Everything the endpoints and middleware of one server share.</summary>
internal sealed class SandboxRuntime(SandboxOptions options, SandboxData data, SandboxStats stats)
{
    private const string UserItemKey = "sandbox.user";

    public SandboxOptions Options { get; } = options;
    public SandboxData Data { get; } = data;
    public SandboxStats Stats { get; } = stats;
    public TieShuffler Ties { get; } = new(options.UnstableTieOrder, options.Seed);
    public FaultInjector Faults { get; } = new(options.Seed, options.FaultRate, options.SlowRate);
    public SlidingWindowLimiter Limiter { get; } = new(options.RequestsPerSecond, options.RequestsPerMinute, options.TimeProvider);
    public TwoFactorChallenges TwoFactor { get; } = new();

    public static void SetUser(HttpContext context, SandboxUser? user) => context.Items[UserItemKey] = user;

    public static SandboxUser? User(HttpContext context) => context.Items[UserItemKey] as SandboxUser;

    /// <summary>The snapshot of a company, or a 404 "Филиал не найден.".</summary>
    public CompanyDataSet Company(long companyId) =>
        Data.Snapshot(companyId) ?? throw new NotFoundException(NotFoundException.CompanyMessage);

    /// <summary>The company of the route's <c>company_id</c>; the auth middleware has already checked it exists and the rights.</summary>
    public CompanyDataSet RouteCompany(HttpContext context) => Company(RouteId(context, "company_id"));

    public static long RouteId(HttpContext context, string name) =>
        long.TryParse(context.Request.RouteValues[name]?.ToString(), out var id) ? id : throw new NotFoundException();

    /// <summary>For routes without a company in the path: 403 unless the user has the right in the entity's company.</summary>
    public static void Demand(HttpContext context, SandboxCompany company, Permission permission)
    {
        var user = User(context);
        if (user is null || !user.Can(company, permission))
        {
            throw new ForbiddenException();
        }
    }
}
