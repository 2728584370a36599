using System.Globalization;
using MyBi.Abstractions.Records;

namespace MyBi.Benchmarks.Internal;

/// <summary>
/// Deterministic rows shaped like YCLIENTS visit records (14 columns of every type, Cyrillic text, nested JSON),
/// produced batch by batch into one reused buffer, so memory stays the size of a batch whatever the row count.
/// </summary>
internal static class BenchmarkRows
{
    private static readonly string[] s_clients = ["Анна Смирнова", "Мария Иванова", "Ольга Кузнецова", "Дмитрий Попов", "Елена Соколова", "Сергей Лебедев"];
    private static readonly string[] s_staff = ["Алёна", "Фёдор", "Ирина", "Zoë", "Марина"];
    private static readonly string[] s_services = ["Стрижка", "Маникюр", "Окрашивание", "Массаж спины", "Педикюр"];
    private static readonly int[] s_offsetHours = [3, 5, 7, 0];
    private static readonly DateTimeOffset s_start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TableSchema Schema(string table) => new(
        table,
        [
            new ColumnSchema("id", ColumnType.Int64),
            new ColumnSchema("company_id", ColumnType.Int64),
            new ColumnSchema("datetime", ColumnType.Timestamp),
            new ColumnSchema("visit_date", ColumnType.Date),
            new ColumnSchema("client_name", ColumnType.String),
            new ColumnSchema("client_phone", ColumnType.String),
            new ColumnSchema("staff_name", ColumnType.String),
            new ColumnSchema("cost", ColumnType.Decimal),
            new ColumnSchema("paid", ColumnType.Decimal),
            new ColumnSchema("duration_hours", ColumnType.Double),
            new ColumnSchema("paid_full", ColumnType.Boolean),
            new ColumnSchema("deleted", ColumnType.Boolean),
            new ColumnSchema("attendance", ColumnType.Int64),
            new ColumnSchema("services", ColumnType.Json),
        ],
        ["id"]);

    /// <summary>
    /// Yields batches of ids 1..<paramref name="rows"/>. Each yielded list is the same buffer, refilled: consume it
    /// before asking for the next.
    /// </summary>
    public static IEnumerable<IReadOnlyList<object?[]>> Batches(long rows, int batchSize, int seed)
    {
        var random = new Random(seed);
        var buffer = new List<object?[]>(batchSize);
        var columns = Schema("rows").Columns.Count;
        for (var first = 1L; first <= rows; first += batchSize)
        {
            var count = (int)Math.Min(batchSize, rows - first + 1);
            while (buffer.Count < count)
            {
                buffer.Add(new object?[columns]);
            }

            if (buffer.Count > count)
            {
                buffer.RemoveRange(count, buffer.Count - count);
            }

            for (var i = 0; i < count; i++)
            {
                Fill(buffer[i], first + i, random);
            }

            yield return buffer;
        }
    }

    private static void Fill(object?[] row, long id, Random random)
    {
        var offset = TimeSpan.FromHours(s_offsetHours[random.Next(s_offsetHours.Length)]);
        var at = s_start.AddSeconds(random.Next(0, 730 * 86_400)).ToOffset(offset);
        var cost = random.Next(0, 2_000_000) / 100m;
        var paid = random.Next(5) == 0 ? Math.Round(cost * random.Next(0, 100) / 100m, 2) : cost;
        var serviceId = random.Next(1, 5_000);
        row[0] = id;
        row[1] = 100_001L + random.Next(0, 50);
        row[2] = at;
        row[3] = DateOnly.FromDateTime(at.DateTime);
        row[4] = s_clients[random.Next(s_clients.Length)];
        row[5] = random.Next(6) == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"+7916{random.Next(1_000_000, 9_999_999)}");
        row[6] = s_staff[random.Next(s_staff.Length)];
        row[7] = cost;
        row[8] = paid;
        row[9] = random.Next(1, 12) / 4.0;
        row[10] = paid == cost;
        row[11] = random.Next(100) == 0;
        row[12] = (long)random.Next(-1, 3);
        row[13] = string.Create(
            CultureInfo.InvariantCulture,
            $"[{{\"id\":{serviceId},\"title\":\"{s_services[serviceId % s_services.Length]}\",\"cost\":{cost},\"amount\":1}}]");
    }
}
