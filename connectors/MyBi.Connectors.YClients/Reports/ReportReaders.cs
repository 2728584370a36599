using MyBi.Connectors.YClients.Reading;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reports;

/// <summary>How each report type is read.</summary>
internal static class ReportReaders
{
    private static readonly Dictionary<string, ReportReader> s_readers = new ReportReader[]
    {
        // Documents have no list endpoint: records and transactions of the period give their ids (live finance
        // transactions only, as in the finance export), then each document is fetched.
        new GroupsReport(ReportNames.Documents, StreamNames.Documents,
            [new RecordsGroup(), TransactionsGroup.FinanceLive, TransactionsGroup.Goods, new DocumentsGroup()]),
        new RecordConsumablesReport(),
        new GroupsReport(ReportNames.GoodsTransactions, StreamNames.GoodsTransactions, [TransactionsGroup.Goods]),
        new GroupsReport(ReportNames.FinanceTransactions, StreamNames.FinanceTransactions, [TransactionsGroup.FinanceLive]),
        new ListReport(ReportNames.RecordCategories, new CatalogGroup(ReportNames.RecordCategories, "/labels/{0}/2", "read record categories")),
        new ListReport(ReportNames.Services, CatalogGroup.All.Single(g => g.Name == StreamNames.Services)),
    }.ToDictionary(r => r.Name, StringComparer.Ordinal);

    public static ReportReader For(string reportType) => s_readers[reportType];
}
