using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>
/// The companies stream: the company objects fetched when the session opened, read after the other groups so that
/// a company whose data YCLIENTS refused is marked <c>accessible = false</c>. A company no other group read is
/// checked with one small records request.
/// </summary>
internal sealed class CompaniesGroup : StreamGroup
{
    public CompaniesGroup()
        : base(StreamNames.Companies, [StreamNames.Companies])
    {
    }

    /// <summary>Free when another group read the company; else one probe of its records.</summary>
    public override Task<GroupEstimate> EstimateAsync(ReadContext context, CompanyInfo company, CancellationToken cancellationToken) =>
        Task.FromResult(context.Selected.Count > 1
            ? new GroupEstimate(0, 0, "exact: the card came with the connection; access known from the other streams")
            : new GroupEstimate(1, 0, "exact: 1 access check per company"));

    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadContext context, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var accessible = !context.RefusedCompanies.Contains(company.Id)
            && (context.ReadCompanies.Contains(company.Id) || await ProbeAsync(context, company, cancellationToken).ConfigureAwait(false));
        var row = (JsonObject)company.Row.DeepClone();
        row["id"] = company.Id;
        row["utc_offset_minutes"] = company.Clock.IsKnown ? (long)company.Clock.Local(context.Now).Offset.TotalMinutes : null;
        row["accessible"] = accessible;
        context.Observer.OnPage(StreamNames.Companies, 1);
        yield return new SourceRecord(StreamNames.Companies, RowShaper.Shape(row, context.Catalog[StreamNames.Companies], company));
    }

    /// <summary>Whether the user may read the company's records (one record of today at most).</summary>
    private static async Task<bool> ProbeAsync(ReadContext context, CompanyInfo company, CancellationToken cancellationToken)
    {
        var today = ReadContext.Day(context.Today(company));
        var request = new ApiRequest
        {
            Stream = StreamNames.Companies,
            Path = string.Create(CultureInfo.InvariantCulture, $"/records/{company.Id}"),
            Purpose = "check access to the company's data",
            CompanyId = company.Id,
        }.With("start_date", today).With("end_date", today).With("page", 1).With("count", 1);
        try
        {
            await context.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (CompanyAccessException)
        {
            return false;
        }
    }
}
