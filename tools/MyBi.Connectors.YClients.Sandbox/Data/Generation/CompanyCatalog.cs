namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Branch material: the chain's branches in different time zones, and the foreign branch.</summary>
internal static class CompanyCatalog
{
    public const long FirstCompanyId = 100001;
    public const long ChainId = 98765;
    public const string ChainTitle = "Сеть «Лаванда»";

    public sealed record Branch(string Title, string Zone, int OffsetHours, int CityId, string City, string Address, string Zip, string Phone, string Lat, string Lon);

    public static readonly IReadOnlyList<Branch> ChainBranches =
    [
        new("Студия красоты «Лаванда» на Тверской", "Europe/Moscow", 3, 2, "Москва", "ул. Тверская, д. 12, стр. 1", "125009", "+7 495 123-45-67", "55.764100", "37.605900"),
        new("Студия красоты «Лаванда» в Екатеринбурге", "Asia/Yekaterinburg", 5, 6, "Екатеринбург", "ул. Малышева, д. 51", "620014", "+7 343 222-33-44", "56.835000", "60.611000"),
        new("Студия красоты «Лаванда» в Новосибирске", "Asia/Novosibirsk", 7, 8, "Новосибирск", "Красный пр-т, д. 25", "630099", "+7 383 210-10-10", "55.030200", "82.920400"),
        new("Студия красоты «Лаванда» в Самаре", "Europe/Samara", 4, 11, "Самара", "ул. Куйбышева, д. 90", "443099", "+7 846 300-20-10", "53.195900", "50.100200"),
        new("Студия красоты «Лаванда» во Владивостоке", "Asia/Vladivostok", 10, 14, "Владивосток", "Светланская ул., д. 33", "690091", "+7 423 240-50-60", "43.115700", "131.885500"),
    ];

    public static readonly Branch ForeignBranch =
        new("Барбершоп «Бородач» (чужой филиал)", "Europe/Kaliningrad", 2, 21, "Калининград", "Ленинский пр-т, д. 18", "236006", "+7 401 255-66-77", "54.710400", "20.510800");

    public static Branch ForIndex(int index) =>
        ChainBranches[index % ChainBranches.Count] is var branch && index >= ChainBranches.Count
            ? branch with { Title = $"{branch.Title} №{index / ChainBranches.Count + 1}" }
            : branch;
}
