namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Derives each client's visit counts, spending and last change from the generated records and payments.</summary>
internal static class ClientStatistics
{
    public static void Apply(CompanyGenerationContext context)
    {
        var records = context.Records.Where(r => !r.Deleted && r.ClientId is not null).ToLookup(r => r.ClientId!.Value);
        var spent = context.Finance
            .Where(t => !t.Deleted && t.ClientId is not null && t.RecordId != 0)
            .GroupBy(t => t.ClientId!.Value)
            .ToDictionary(g => g.Key, g => g.Sum(t => t.Amount));
        for (var i = 0; i < context.Clients.Count; i++)
        {
            var client = context.Clients[i];
            var own = records[client.Id].ToList();
            var attended = own.Where(r => r.Attendance == 1).OrderBy(r => r.Datetime).ToList();
            var lastChange = own.Count == 0 ? client.LastChangeDate : own.Max(r => r.LastChangeDate);
            context.Clients[i] = client with
            {
                SuccessVisits = attended.Count,
                FailVisits = own.Count(r => r.Attendance == -1),
                FirstVisit = attended.Count == 0 ? null : attended[0].Date,
                LastVisit = attended.Count == 0 ? null : attended[^1].Date,
                Spent = Money.Normalize(spent.GetValueOrDefault(client.Id)),
                LastChangeDate = lastChange > client.LastChangeDate ? lastChange : client.LastChangeDate,
            };
        }
    }
}
