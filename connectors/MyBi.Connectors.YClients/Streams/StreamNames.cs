namespace MyBi.Connectors.YClients.Streams;

/// <summary>The stream names of the connector (also their table names).</summary>
internal static class StreamNames
{
    public const string Companies = "companies";
    public const string Records = "records";
    public const string RecordServices = "record_services";
    public const string RecordGoods = "record_goods";
    public const string Visits = "visits";
    public const string Clients = "clients";
    public const string Services = "services";
    public const string ServiceCategories = "service_categories";
    public const string Staff = "staff";
    public const string Storages = "storages";
    public const string Goods = "goods";
    public const string FinanceTransactions = "finance_transactions";
    public const string GoodsTransactions = "goods_transactions";
    public const string Documents = "documents";

    /// <summary>Every stream, in the order they are read.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Companies, ServiceCategories, Services, Staff, Storages, Goods, Clients,
        Records, RecordServices, RecordGoods, Visits, FinanceTransactions, GoodsTransactions, Documents,
    ];
}
