namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Fills each day of the period with visits: every employee works from 09:00 or 10:00 until 21:00,
/// so many records share a start time, and busy days get more visits.</summary>
internal static class ScheduleGenerator
{
    public const int ClosingMinute = 21 * 60;

    /// <summary>When the late visit of every third evening starts: 23:40 local, so local midnight splits days unlike UTC's.</summary>
    public const int LateMinute = (23 * 60) + 40;

    public static void Generate(CompanyGenerationContext context)
    {
        var first = context.Today.AddDays(-context.Options.DaysBack);
        var last = context.Today.AddDays(context.Options.DaysForward);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            GenerateDay(context, day);
        }
    }

    private static void GenerateDay(CompanyGenerationContext context, DateOnly day)
    {
        var random = context.Random;
        var busy = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || random.Chance(0.15);
        var factor = busy ? 1.25 : day.DayOfWeek == DayOfWeek.Monday ? 0.8 : 1.0;
        var exact = context.Options.RecordsPerDay;
        var target = exact ?? (int)Math.Round(context.Staff.Count * context.Options.RecordsPerStaffPerDay * factor * (0.8 + 0.4 * random.NextDouble()));
        var pointers = context.Staff.ToDictionary(s => s.Id, _ => random.Chance(0.7) ? 9 * 60 : 10 * 60);
        var bookable = context.Staff.Where(s => s.ServiceIds.Count > 0).ToList();
        var open = bookable.ToList();
        var created = 0;
        var createdAtRestart = 0;
        while (created < target && open.Count > 0)
        {
            var staff = open.MinBy(s => pointers[s.Id])!;
            var services = PickServices(context, staff);
            var start = pointers[staff.Id];
            var minutes = services.Sum(s => s.DurationSeconds) / 60;
            if (start + minutes > ClosingMinute)
            {
                open.Remove(staff);
                if (open.Count == 0 && exact is not null && created > createdAtRestart)
                {
                    // An exact volume larger than the working hours hold: the day starts over at opening time.
                    createdAtRestart = created;
                    open = [.. bookable];
                    foreach (var member in open)
                    {
                        pointers[member.Id] = 9 * 60;
                    }
                }

                continue;
            }

            var client = random.Chance(0.93) ? context.Clients[random.SkewedIndex(context.Clients.Count)] : null;
            var slots = new List<VisitSlot> { new(staff, start, services) };
            pointers[staff.Id] = start + minutes + (random.Chance(0.3) ? random.Pick([15, 30]) : 0);
            if (client is not null && open.Count > 1 && random.Chance(0.15) && (exact is null || created + 2 <= target))
            {
                AddSecondSlot(context, open, pointers, slots, start + minutes);
            }

            RecordFactory.CreateVisit(context, day, busy, client, slots);
            created += slots.Count;
        }

        // An exact volume stays exact; otherwise some evenings end with a visit just before local midnight.
        if (exact is null && day.DayNumber % 3 == 0 && bookable.Count > 0 && context.Clients.Count > 0)
        {
            var staff = bookable[day.DayNumber % bookable.Count];
            RecordFactory.CreateVisit(context, day, busy, context.Clients[0], [new VisitSlot(staff, LateMinute, PickServices(context, staff))]);
        }
    }

    private static void AddSecondSlot(CompanyGenerationContext context, List<SandboxStaff> open, Dictionary<long, int> pointers, List<VisitSlot> slots, int earliest)
    {
        var other = context.Random.Pick(open.Where(s => s.Id != slots[0].Staff.Id).ToList());
        var services = PickServices(context, other);
        var start = Math.Max(earliest, pointers[other.Id]);
        var minutes = services.Sum(s => s.DurationSeconds) / 60;
        if (start + minutes <= ClosingMinute)
        {
            slots.Add(new VisitSlot(other, start, services));
            pointers[other.Id] = start + minutes;
        }
    }

    private static IReadOnlyList<SandboxService> PickServices(CompanyGenerationContext context, SandboxStaff staff)
    {
        var first = context.Random.Pick(staff.ServiceIds);
        var ids = new List<long> { first };
        if (staff.ServiceIds.Count > 1 && context.Random.Chance(0.25))
        {
            var second = context.Random.Pick(staff.ServiceIds);
            if (second != first)
            {
                ids.Add(second);
            }
        }

        return [.. ids.Select(id => context.Services.First(s => s.Id == id))];
    }
}
