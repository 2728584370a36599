namespace MyBi.Connectors.YClients.Reports;

/// <summary>The report types of the connector (custom exports, <c>reports[].type</c> in pipeline files).</summary>
internal static class ReportNames
{
    public const string Documents = "documents";
    public const string RecordConsumables = "record_consumables";
    public const string GoodsTransactions = "goods_transactions";
    public const string FinanceTransactions = "finance_transactions";
    public const string RecordCategories = "record_categories";
    public const string Services = "services";

    /// <summary>Every report type, in documentation order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Documents, RecordConsumables, GoodsTransactions, FinanceTransactions, RecordCategories, Services,
    ];
}
