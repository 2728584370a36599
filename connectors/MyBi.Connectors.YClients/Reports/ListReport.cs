using System.Runtime.CompilerServices;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Reading;

namespace MyBi.Connectors.YClients.Reports;

/// <summary>A report of a company's whole list (services, record labels): no period, every item once.</summary>
internal sealed class ListReport : ReportReader
{
    private readonly CatalogGroup _list;

    public ListReport(string name, CatalogGroup list)
        : base(name)
    {
        _list = list;
    }

    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadContext context, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _list.ItemsAsync(context, company, cancellationToken).ConfigureAwait(false))
        {
            yield return new SourceRecord(Name, item);
        }
    }
}
