using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>The companies stream: the company objects fetched when the session opened (no extra request).</summary>
internal sealed class CompaniesGroup : StreamGroup
{
    public CompaniesGroup()
        : base(StreamNames.Companies, [StreamNames.Companies])
    {
    }

    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadContext context, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var row = (JsonObject)company.Row.DeepClone();
        row["id"] = company.Id;
        row["utc_offset_minutes"] = company.Clock.IsKnown ? (long)company.Clock.Local(context.Now).Offset.TotalMinutes : null;
        context.Observer.OnPage(StreamNames.Companies, 1);
        yield return new SourceRecord(StreamNames.Companies, RowShaper.Shape(row, context.Catalog[StreamNames.Companies], company));
    }
}
