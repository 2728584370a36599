using System.Runtime.CompilerServices;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Reading;

namespace MyBi.Connectors.YClients.Reports;

/// <summary>
/// A report read by the stream groups themselves, for the period: their windows, paging and de-duplication are the
/// streams' own. Only the rows of <c>stream</c> become report rows; the groups before it only feed it (documents
/// collect their ids from records and transactions).
/// </summary>
internal sealed class GroupsReport : ReportReader
{
    private readonly string _stream;
    private readonly IReadOnlyList<StreamGroup> _groups;

    public GroupsReport(string name, string stream, IReadOnlyList<StreamGroup> groups)
        : base(name)
    {
        _stream = stream;
        _groups = groups;
    }

    public override IReadOnlySet<string> Selected => new HashSet<string>([_stream], StringComparer.Ordinal);

    public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadContext context, CompanyInfo company, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var group in _groups)
        {
            await foreach (var message in group.ReadAsync(context, company, cancellationToken).ConfigureAwait(false))
            {
                if (message is SourceWarning || (message is SourceRecord record && record.Stream == _stream))
                {
                    yield return message;
                }
            }
        }
    }
}
