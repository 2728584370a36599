namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Goods material: retail products (sold per piece) and consumables (written off per ml or g).</summary>
internal static class GoodsCatalog
{
    public const long PieceUnitId = 216760;
    public const long MillilitreUnitId = 216761;
    public const long GramUnitId = 216762;

    public sealed record GoodTemplate(string Title, string Article, decimal Price, decimal CostPrice, bool IsConsumable, long ServiceUnitId, decimal UnitEquals);

    public static readonly IReadOnlyList<GoodTemplate> Goods =
    [
        new("Шампунь для окрашенных волос 250 мл", "SH-250", 1450, 780, false, MillilitreUnitId, 250),
        new("Кондиционер восстанавливающий 250 мл", "CO-250", 1350, 720, false, MillilitreUnitId, 250),
        new("Маска для волос 200 мл", "MA-200", 1900, 990, false, MillilitreUnitId, 200),
        new("Термозащитный спрей 150 мл", "TS-150", 1250, 610, false, MillilitreUnitId, 150),
        new("Масло для кутикулы 15 мл", "OC-15", 650, 280, false, MillilitreUnitId, 15),
        new("Крем для рук 75 мл", "HC-75", 890, 410, false, MillilitreUnitId, 75),
        new("Краситель перманентный 7.1, 60 мл", "DYE-71", 0, 570, true, MillilitreUnitId, 60),
        new("Оксид 6%, 1000 мл", "OX-6", 0, 900, true, MillilitreUnitId, 1000),
        new("Осветляющая пудра, 500 г", "BL-500", 0, 2400, true, GramUnitId, 500),
        new("Гель-лак, 10 мл", "GL-10", 0, 550, true, MillilitreUnitId, 10),
        new("База для гель-лака, 10 мл", "GB-10", 0, 400, true, MillilitreUnitId, 10),
        new("Маска-плёнка для лица, 50 мл", "FM-50", 0, 1500, true, MillilitreUnitId, 50),
    ];

    public static (string Title, string ShortTitle) Unit(long unitId) => unitId switch
    {
        PieceUnitId => ("Штука", "шт."),
        MillilitreUnitId => ("Миллилитр", "мл"),
        GramUnitId => ("Грамм", "г"),
        _ => ("Единица", "ед."),
    };
}
