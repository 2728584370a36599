namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Name material for generated people.</summary>
internal static class RussianNames
{
    public static readonly IReadOnlyList<string> FemaleFirst =
    [
        "Анна", "Мария", "Елена", "Ольга", "Наталья", "Ирина", "Татьяна", "Светлана", "Екатерина", "Юлия",
        "Дарья", "Алина", "Ксения", "Виктория", "Полина", "Олеся", "Марина", "Валерия", "Анастасия", "Софья",
    ];

    public static readonly IReadOnlyList<string> MaleFirst =
    [
        "Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Иван", "Михаил", "Пётр", "Никита",
    ];

    /// <summary>Female forms; the male form drops the final "а".</summary>
    public static readonly IReadOnlyList<string> FemaleSurnames =
    [
        "Смирнова", "Иванова", "Кузнецова", "Попова", "Васильева", "Петрова", "Соколова", "Михайлова", "Новикова",
        "Фёдорова", "Морозова", "Волкова", "Алексеева", "Лебедева", "Семёнова", "Егорова", "Павлова", "Козлова",
        "Степанова", "Николаева", "Орлова", "Андреева", "Макарова", "Никитина", "Захарова", "Громова",
    ];

    public static readonly IReadOnlyList<string> FemalePatronymics =
        ["Александровна", "Сергеевна", "Андреевна", "Игоревна", "Владимировна", "Дмитриевна", "Олеговна", ""];

    public static readonly IReadOnlyList<string> MalePatronymics =
        ["Александрович", "Сергеевич", "Андреевич", "Игоревич", "Владимирович", "Дмитриевич", "Олегович", ""];

    public static string MaleSurname(string femaleSurname) => femaleSurname[..^1];

    public static string Transliterate(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length * 2);
        foreach (var ch in text.ToLowerInvariant())
        {
            builder.Append(ch switch
            {
                'а' => "a", 'б' => "b", 'в' => "v", 'г' => "g", 'д' => "d", 'е' => "e", 'ё' => "e", 'ж' => "zh",
                'з' => "z", 'и' => "i", 'й' => "y", 'к' => "k", 'л' => "l", 'м' => "m", 'н' => "n", 'о' => "o",
                'п' => "p", 'р' => "r", 'с' => "s", 'т' => "t", 'у' => "u", 'ф' => "f", 'х' => "kh", 'ц' => "ts",
                'ч' => "ch", 'ш' => "sh", 'щ' => "sch", 'ъ' => "", 'ы' => "y", 'ь' => "", 'э' => "e", 'ю' => "yu",
                'я' => "ya", _ => ch.ToString(),
            });
        }

        return builder.ToString();
    }
}
