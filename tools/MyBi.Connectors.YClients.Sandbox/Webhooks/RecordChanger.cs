using MyBi.Connectors.YClients.Sandbox.Data;

namespace MyBi.Connectors.YClients.Sandbox.Webhooks;

/// <summary>
/// Changes records the way a salon's day does: about a third are new bookings, half change their attendance and the
/// rest are deleted; companies, records and values come from a seeded generator, so a seed gives the same changes.
/// </summary>
internal sealed class RecordChanger(SandboxData data, int seed, int daysBack, int daysForward)
{
    private static readonly int[] s_attendances = [-1, 0, 1, 2];
    private static readonly decimal[] s_discounts = [0m, 0m, 5m, 10m];

    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();

    /// <summary>Makes <paramref name="count"/> changes, one after the other.</summary>
    public SandboxChangeSummary Change(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int created = 0, updated = 0, deleted = 0;
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                var companies = data.AccessibleCompanies;
                var companyId = companies[_random.Next(companies.Count)].Id;
                var live = data.Records(companyId).Where(r => !r.Deleted).ToList();
                var roll = _random.NextDouble();
                if (roll < 0.35 || live.Count == 0)
                {
                    Create(companyId);
                    created++;
                }
                else if (roll < 0.85)
                {
                    var record = live[_random.Next(live.Count)];
                    var others = s_attendances.Where(a => a != record.Attendance).ToArray();
                    data.ChangeAttendance(companyId, record.Id, others[_random.Next(others.Length)]);
                    updated++;
                }
                else
                {
                    data.DeleteRecord(companyId, live[_random.Next(live.Count)].Id);
                    deleted++;
                }
            }
        }

        return new SandboxChangeSummary(created, updated, deleted);
    }

    private void Create(long companyId)
    {
        var staff = data.Staff(companyId);
        var employee = staff[_random.Next(staff.Count)];
        var services = employee.ServiceIds.Count > 0 ? employee.ServiceIds : [.. data.Services(companyId).Select(s => s.Id)];
        var picked = Enumerable.Range(0, _random.Next(1, 3)).Select(_ => services[_random.Next(services.Count)]).Distinct().ToList();
        var clients = data.Clients(companyId);
        var day = data.Today.AddDays(_random.Next(-daysBack, daysForward + 1));
        var start = day.ToDateTime(new TimeOnly(_random.Next(9, 20), _random.Next(2) * 30));
        var past = day < data.Today;
        data.AddRecord(companyId, new SandboxNewRecord
        {
            StaffId = employee.Id,
            LocalStart = start,
            ServiceIds = picked,
            ClientId = _random.Next(10) == 0 ? null : clients[_random.Next(clients.Count)].Id,
            DiscountPercent = s_discounts[_random.Next(s_discounts.Length)],
            Attendance = past ? (_random.Next(5) == 0 ? -1 : 1) : 0,
        });
    }
}
