namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Price-list material: categories, the staff who work in them, services and their consumables.</summary>
internal static class ServiceCatalog
{
    public sealed record CategoryTemplate(string Title, string ApiId, string Position, string Specialization, IReadOnlyList<ServiceTemplate> Services);

    public sealed record ServiceTemplate(string Title, string PrintTitle, int PriceMin, int PriceMax, int Minutes, IReadOnlyList<ConsumableUse> Consumables);

    /// <summary>A consumable written off per rendered service, by good title, in write-off units.</summary>
    public sealed record ConsumableUse(string GoodTitle, int Amount);

    public static readonly IReadOnlyList<CategoryTemplate> Categories =
    [
        new("Стрижки", "CUT", "Парикмахер", "Парикмахер-стилист",
        [
            new("Женская стрижка", "Стрижка", 1800, 3500, 60, []),
            new("Мужская стрижка", "Стрижка", 1200, 2000, 45, []),
            new("Детская стрижка", "Стрижка", 900, 1200, 30, []),
            new("Укладка феном", "Укладка", 1500, 2500, 45, []),
            new("Стрижка чёлки", "Стрижка", 500, 500, 15, []),
        ]),
        new("Окрашивание", "COLOR", "Колорист", "Стилист-колорист",
        [
            new("Окрашивание в один тон (средняя длина)", "Окрашивание", 6500, 8900, 90,
                [new("Краситель перманентный 7.1, 60 мл", 60), new("Оксид 6%, 1000 мл", 90)]),
            new("Мелирование", "Мелирование", 5500, 9000, 120, [new("Осветляющая пудра, 500 г", 40), new("Оксид 6%, 1000 мл", 80)]),
            new("Тонирование", "Тонирование", 3500, 5000, 60, [new("Краситель перманентный 7.1, 60 мл", 30)]),
            new("Сложное окрашивание AirTouch", "Окрашивание", 12000, 16000, 180,
                [new("Осветляющая пудра, 500 г", 60), new("Краситель перманентный 7.1, 60 мл", 60)]),
        ]),
        new("Маникюр", "NAIL", "Мастер ногтевого сервиса", "Мастер маникюра",
        [
            new("Маникюр классический", "Маникюр", 1200, 1500, 60, []),
            new("Маникюр с покрытием гель-лак", "Маникюр", 2200, 2600, 90, [new("Гель-лак, 10 мл", 1), new("База для гель-лака, 10 мл", 1)]),
            new("Снятие гель-лака", "Снятие", 400, 400, 20, []),
            new("Наращивание ногтей", "Наращивание", 3500, 4500, 150, [new("База для гель-лака, 10 мл", 2)]),
        ]),
        new("Педикюр", "PEDI", "Мастер ногтевого сервиса", "Мастер педикюра",
        [
            new("Педикюр аппаратный", "Педикюр", 2500, 3000, 75, []),
            new("Педикюр с покрытием гель-лак", "Педикюр", 3200, 3600, 100, [new("Гель-лак, 10 мл", 1)]),
        ]),
        new("Косметология", "FACE", "Косметолог", "Врач-косметолог",
        [
            new("Чистка лица комбинированная", "Чистка лица", 3500, 4500, 90, [new("Маска-плёнка для лица, 50 мл", 10)]),
            new("Пилинг химический", "Пилинг", 2500, 3500, 45, []),
            new("Массаж лица", "Массаж", 2000, 2500, 40, []),
        ]),
        new("Брови и ресницы", "BROW", "Бровист", "Мастер-бровист",
        [
            new("Коррекция бровей", "Брови", 700, 900, 30, []),
            new("Окрашивание бровей", "Брови", 600, 800, 20, []),
            new("Ламинирование ресниц", "Ресницы", 2800, 3200, 60, []),
        ]),
    ];

    /// <summary>The first <paramref name="count"/> services, taken round-robin across categories so every
    /// category is used; beyond the catalogue, numbered variants are added.</summary>
    public static IReadOnlyList<(CategoryTemplate Category, ServiceTemplate Service)> Take(int count)
    {
        var result = new List<(CategoryTemplate, ServiceTemplate)>(count);
        var maxServices = Categories.Max(c => c.Services.Count);
        for (var round = 0; result.Count < count; round++)
        {
            var variant = round / maxServices;
            var index = round % maxServices;
            foreach (var category in Categories)
            {
                if (result.Count == count)
                {
                    break;
                }

                if (index < category.Services.Count)
                {
                    var service = category.Services[index];
                    result.Add((category, variant == 0 ? service : service with { Title = $"{service.Title} (вариант {variant + 1})" }));
                }
            }
        }

        return result;
    }
}
