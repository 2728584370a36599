using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>
/// Documents have no list endpoint. Those a record carries in its <c>documents[]</c> become rows as they came
/// (without the storage title and user name, which only the document endpoint gives), at no request of their own.
/// Only with <c>documents.details</c> (and in the documents export) are the other ids found in transactions fetched,
/// one request each, with <c>GET /storage_operations/documents/{company_id}/{id}</c>.
/// </summary>
internal sealed class DocumentsGroup : StreamGroup
{
    public DocumentsGroup()
        : base(StreamNames.Documents, [StreamNames.Documents])
    {
    }

    /// <summary>Embedded documents cost nothing; the others are one request each, known only once the rest is read.</summary>
    public override Task<GroupEstimate> EstimateAsync(ReadContext context, CompanyInfo company, CancellationToken cancellationToken) =>
        Task.FromResult(context.DocumentDetails
            ? new GroupEstimate(null, 0, "unknown: 1 per document records do not embed (documents: {details: true})")
            : new GroupEstimate(0, 0, "exact: embedded in records, no request"));

    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadContext context, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var definition = context.Catalog[Name];
        var missing = 0;
        var (embedded, toFetch) = context.TakeDocuments(company.Id);
        foreach (var (id, document) in embedded)
        {
            context.Observer.OnPage(Name, 1);
            yield return new SourceRecord(Name, RowShaper.Shape(FromRecord(id, document), definition, company));
        }

        foreach (var id in toFetch)
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

    /// <summary>
    /// A record's document in the document endpoint's shape: <c>type_title</c> as <c>type.title</c> and
    /// <c>date_created</c> as <c>create_date</c>; what else it carries stays for <c>_extra</c>.
    /// </summary>
    internal static JsonObject FromRecord(long id, JsonObject document)
    {
        var row = (JsonObject)document.DeepClone();
        row["id"] = id;
        if (row.TryGetPropertyValue("type_title", out var title) && row["type"] is null)
        {
            row.Remove("type_title");
            row["type"] = new JsonObject { ["title"] = title };
        }

        if (row.TryGetPropertyValue("date_created", out var created) && row["create_date"] is null)
        {
            row.Remove("date_created");
            row["create_date"] = created;
        }

        return row;
    }
}
