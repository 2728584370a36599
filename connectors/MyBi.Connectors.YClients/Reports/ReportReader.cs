using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Reading;

namespace MyBi.Connectors.YClients.Reports;

/// <summary>
/// Reads the rows of one report type for one company and the period of the <see cref="ReadContext"/>. Rows come as
/// the API gives them; the session shapes them with the report's schema.
/// </summary>
internal abstract class ReportReader
{
    protected ReportReader(string name) => Name = name;

    /// <summary>The report type.</summary>
    public string Name { get; }

    /// <summary>The streams the reused stream groups must consider selected while this report reads.</summary>
    public virtual IReadOnlySet<string> Selected => new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The report's rows (any stream name; the session relabels them) and warnings of one company.</summary>
    public abstract IAsyncEnumerable<SourceMessage> ReadAsync(ReadContext context, CompanyInfo company, CancellationToken cancellationToken);
}
