namespace MyBi.Connectors.YClients.Sandbox.Data;

/// <summary>Webhook settings of one company, as stored by <c>POST /hooks_settings</c>.</summary>
internal sealed record HooksSettings(IReadOnlyList<string> Urls, int Active, IReadOnlyDictionary<string, int> Flags)
{
    public static readonly IReadOnlyList<string> FlagNames =
    [
        "salon", "service_category", "service", "good", "master", "client", "record",
        "goods_operations_sale", "goods_operations_receipt", "goods_operations_consumable",
        "goods_operations_stolen", "goods_operations_move", "finances_operation",
    ];

    public static HooksSettings Empty { get; } =
        new([], 0, FlagNames.ToDictionary(n => n, _ => 0, StringComparer.Ordinal));
}
