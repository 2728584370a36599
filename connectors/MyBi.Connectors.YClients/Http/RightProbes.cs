using System.Globalization;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Http;

/// <summary>
/// One cheap request (one row) per kind of YCLIENTS right, with the streams that right opens: how `connect` picks
/// the streams a user may read and how `check` says which rights a company's user lacks.
/// </summary>
internal static class RightProbes
{
    public static IReadOnlyList<RightProbe> All { get; } =
    [
        new("/company/{0}/staff", StreamNames.Staff, "read the staff list", [StreamNames.ServiceCategories, StreamNames.Services, StreamNames.Staff]),
        new("/clients/{0}", StreamNames.Clients, "read clients", [StreamNames.Clients]),
        new("/storages/{0}", StreamNames.Storages, "read storages", [StreamNames.Storages, StreamNames.Goods]),
        new("/records/{0}", StreamNames.Records, "read records", [StreamNames.Records, StreamNames.RecordServices, StreamNames.RecordGoods, StreamNames.Visits]),
        new("/transactions/{0}", StreamNames.FinanceTransactions, "read finance transactions", [StreamNames.FinanceTransactions]),
        new("/storages/transactions/{0}", StreamNames.GoodsTransactions, "read goods transactions", [StreamNames.GoodsTransactions]),
    ];

    /// <summary>Whether the user may do what <paramref name="probe"/> tries in <paramref name="company"/>; false on a refusal (403 and the like).</summary>
    public static async Task<bool> AllowsAsync(YClientsHttpClient http, RightProbe probe, long company, CancellationToken cancellationToken)
    {
        var request = new ApiRequest
        {
            Stream = probe.Stream,
            Path = string.Format(CultureInfo.InvariantCulture, probe.Path, company),
            Purpose = probe.Purpose,
            CompanyId = company,
        }.With("count", 1).With("page", 1);
        try
        {
            await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (CompanyAccessException)
        {
            return false;
        }
    }
}

/// <summary>A request that needs one right, and the streams that right opens.</summary>
internal sealed record RightProbe(string Path, string Stream, string Purpose, IReadOnlyList<string> Streams);
