using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>
/// Documents have no list endpoint: the ids found in records and transactions of this read are fetched one by
/// one with <c>GET /storage_operations/documents/{company_id}/{id}</c>.
/// </summary>
internal sealed class DocumentsGroup : StreamGroup
{
    public DocumentsGroup()
        : base(StreamNames.Documents, [StreamNames.Documents])
    {
    }

    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadContext context, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var definition = context.Catalog[Name];
        var missing = 0;
        foreach (var id in context.TakeDocuments(company.Id))
        {
            var request = new ApiRequest
            {
                Stream = Name,
                Path = string.Create(CultureInfo.InvariantCulture, $"/storage_operations/documents/{company.Id}/{id}"),
                Purpose = "read documents",
                CompanyId = company.Id,
                IsList = false,
            };
            var envelope = await context.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (envelope?.Data is not JsonObject document)
            {
                missing++;
                continue;
            }

            var row = document;
            row["id"] = Lenient.Id(row["id"]) ?? id;
            context.Observer.OnPage(Name, 1);
            yield return new SourceRecord(Name, RowShaper.Shape(row, definition, company));
        }

        context.CommitDocumentCursors(company);
        if (missing > 0)
        {
            yield return new SourceWarning(
                string.Create(CultureInfo.InvariantCulture, $"company {company.Id}: {missing} document(s) referenced by records or transactions no longer exist in YCLIENTS and were skipped."),
                Name);
        }
    }
}
