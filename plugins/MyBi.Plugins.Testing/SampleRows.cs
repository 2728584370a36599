using System.Globalization;
using MyBi.Abstractions.Records;

namespace MyBi.Plugins.Testing;

/// <summary>
/// Deterministic rows shaped like YCLIENTS visit records (ids, instants with offsets, money, Cyrillic names,
/// flags, nested JSON) for destination tests and benchmarks. Rows are produced lazily, so a benchmark can stream
/// millions of them without holding them in memory.
/// </summary>
public static class SampleRows
{
    private static readonly string[] s_firstNames = ["Анна", "Мария", "Ольга", "Елена", "Дмитрий", "Сергей", "Алёна", "Фёдор", "Zoë", "Ирина"];
    private static readonly string[] s_lastNames = ["Иванова", "Петрова", "Смирнова", "Кузнецов", "Соколов", "Попова", "Лебедев", "Новикова"];
    private static readonly string[] s_services = ["Стрижка", "Маникюр 💅", "Окрашивание", "Массаж спины", "Педикюр", "Укладка"];
    private static readonly TimeSpan[] s_offsets = [TimeSpan.FromHours(3), TimeSpan.FromHours(5), TimeSpan.FromHours(7), TimeSpan.Zero];
    private static readonly DateTimeOffset s_epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The column names of <see cref="RecordsSchema"/>, in order.</summary>
    public static IReadOnlyList<string> ColumnNames { get; } =
    [
        "id", "company_id", "datetime", "visit_date", "client_name", "client_phone", "staff_name",
        "cost", "paid", "duration_hours", "paid_full", "deleted", "attendance", "services",
    ];

    /// <summary>
    /// The table of <see cref="Records(int, int)"/>: primary key <c>id</c>; one column of every <see cref="ColumnType"/>.
    /// </summary>
    public static TableSchema RecordsSchema(string table) => new(
        table,
        [
            new ColumnSchema("id", ColumnType.Int64, nullable: false) { Description = "Visit id" },
            new ColumnSchema("company_id", ColumnType.Int64) { Description = "Company (branch) id" },
            new ColumnSchema("datetime", ColumnType.Timestamp) { Description = "Start of the visit, with the company's offset" },
            new ColumnSchema("visit_date", ColumnType.Date) { Description = "Local date of the visit" },
            new ColumnSchema("client_name", ColumnType.String) { Description = "Client name" },
            new ColumnSchema("client_phone", ColumnType.String) { Description = "Client phone; null for some rows" },
            new ColumnSchema("staff_name", ColumnType.String) { Description = "Master" },
            new ColumnSchema("cost", ColumnType.Decimal) { Description = "Price of the services" },
            new ColumnSchema("paid", ColumnType.Decimal) { Description = "Amount paid" },
            new ColumnSchema("duration_hours", ColumnType.Double) { Description = "Length in hours" },
            new ColumnSchema("paid_full", ColumnType.Boolean) { Description = "Whether the visit is paid in full" },
            new ColumnSchema("deleted", ColumnType.Boolean) { Description = "Whether the record was deleted" },
            new ColumnSchema("attendance", ColumnType.Int64) { Description = "-1 no-show, 0 waiting, 1 came, 2 confirmed" },
            new ColumnSchema("services", ColumnType.Json) { Description = "Services of the visit, as JSON" },
        ],
        ["id"])
    {
        Description = "Sample visit records",
    };

    /// <summary>
    /// <paramref name="count"/> rows with ids 1..count; the same <paramref name="seed"/> always gives the same rows,
    /// another seed gives other values for the same ids (useful to test merges).
    /// </summary>
    public static IEnumerable<object?[]> Records(int count, int seed) => Records(count, seed, firstId: 1);

    /// <summary>Like <see cref="Records(int, int)"/> with ids firstId..firstId+count-1.</summary>
    public static IEnumerable<object?[]> Records(int count, int seed, long firstId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Generate(count, seed, firstId);
    }

    private static IEnumerable<object?[]> Generate(int count, int seed, long firstId)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var id = firstId + i;
            var offset = s_offsets[random.Next(s_offsets.Length)];
            var instant = s_epoch.AddMinutes(random.Next(0, 60 * 24 * 730)).AddMilliseconds(random.Next(0, 1000));
            var local = instant.ToOffset(offset);
            var cost = random.Next(0, 5_000_000) / 100m;
            var paid = random.Next(4) == 0 ? Math.Round(cost * random.Next(0, 10_000) / 10_000m, 4) : cost;
            var service = s_services[random.Next(s_services.Length)];
            var serviceId = random.Next(1, 10_000);
            var services = string.Create(
                CultureInfo.InvariantCulture,
                $"[{{\"id\":{serviceId},\"title\":\"{service}\",\"cost\":{cost}}}]");
            yield return
            [
                id,
                100001L + random.Next(0, 20),
                local,
                DateOnly.FromDateTime(local.DateTime),
                s_firstNames[random.Next(s_firstNames.Length)] + " " + s_lastNames[random.Next(s_lastNames.Length)],
                random.Next(5) == 0 ? null : "+7916" + random.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture),
                s_firstNames[random.Next(s_firstNames.Length)],
                cost,
                paid,
                random.Next(1, 16) / 4.0,
                paid == cost,
                random.Next(50) == 0,
                (long)random.Next(-1, 3),
                services,
            ];
        }
    }
}
