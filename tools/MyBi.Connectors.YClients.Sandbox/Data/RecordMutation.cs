using MyBi.Connectors.YClients.Sandbox.Data.Generation;

namespace MyBi.Connectors.YClients.Sandbox.Data;

/// <summary>Builds the data of a company after a record is added at run time.</summary>
internal sealed class RecordMutation(CompanyDataSet set, IdSequences ids, TimeProvider timeProvider)
{
    /// <summary>Now in the company's zone, whole seconds, and always later than <paramref name="previous"/>
    /// so that a change is visible to a <c>changed_after</c> cursor even under a frozen clock.</summary>
    public static DateTimeOffset Stamp(TimeProvider timeProvider, SandboxCompany company, DateTimeOffset previous)
    {
        var now = timeProvider.GetUtcNow().ToOffset(company.UtcOffset);
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        return now > previous ? now : previous.AddSeconds(1);
    }

    public CompanyDataParts Add(SandboxNewRecord input, out SandboxRecord record)
    {
        var company = set.Company;
        if (!set.StaffById.ContainsKey(input.StaffId))
        {
            throw new ArgumentException($"Staff {input.StaffId} does not exist in sandbox company {company.Id}.", nameof(input));
        }

        if (input.ClientId is { } clientId && !set.ClientsById.ContainsKey(clientId))
        {
            throw new ArgumentException($"Client {clientId} does not exist in sandbox company {company.Id}.", nameof(input));
        }

        if (input.ServiceIds.Count == 0 || input.ServiceIds.Any(id => !set.ServicesById.ContainsKey(id)))
        {
            throw new ArgumentException($"Give one or more service ids of sandbox company {company.Id}.", nameof(input));
        }

        if (input.Attendance is < -1 or > 2 || input.DiscountPercent is < 0 or > 100)
        {
            throw new ArgumentException("Attendance must be -1..2 and the discount 0..100 percent.", nameof(input));
        }

        var stamp = Stamp(timeProvider, company, DateTimeOffset.MinValue);
        var services = input.ServiceIds.Select(id => set.ServicesById[id]).ToList();
        var recordId = ids.NextRecord();
        var visitId = ids.NextVisit();
        var datetime = new DateTimeOffset(DateTime.SpecifyKind(input.LocalStart, DateTimeKind.Unspecified), company.UtcOffset);
        var document = new SandboxDocument
        {
            Id = ids.NextDocument(),
            CompanyId = company.Id,
            TypeId = SandboxDocument.VisitType,
            Number = set.Documents.Count == 0 ? 1000 : set.Documents.Max(d => d.Number) + 1,
            StorageId = 0,
            UserId = SandboxCredentials.UserId,
            Comment = "",
            CreateDate = datetime,
            RecordId = recordId,
            VisitId = visitId,
        };
        record = new SandboxRecord
        {
            Id = recordId,
            CompanyId = company.Id,
            StaffId = input.StaffId,
            ClientId = input.ClientId,
            VisitId = visitId,
            Datetime = datetime,
            LengthSeconds = services.Sum(s => s.DurationSeconds),
            CreateDate = stamp,
            LastChangeDate = stamp,
            Attendance = input.Attendance,
            Confirmed = input.Attendance != 0,
            Deleted = false,
            PaidFull = false,
            Online = false,
            Comment = input.Comment,
            RecordFrom = "",
            CreatedUserId = SandboxCredentials.UserId,
            LabelIds = [],
            DocumentIds = [document.Id],
            Services = [.. services.Select(s => Line(s, input.DiscountPercent))],
            Goods = [],
        };
        var visit = new SandboxVisit
        {
            Id = visitId,
            CompanyId = company.Id,
            ClientId = input.ClientId,
            Datetime = datetime,
            Attendance = input.Attendance,
            Comment = "",
            RecordIds = [recordId],
        };
        return set.Parts with
        {
            Records = [.. set.Records, record],
            Visits = [.. set.Visits, visit],
            Documents = [.. set.Documents, document],
        };
    }

    private static SandboxRecordService Line(SandboxService service, decimal discount)
    {
        var cost = Money.Discounted(service.PriceMin, discount);
        return new SandboxRecordService
        {
            ServiceId = service.Id,
            Title = service.Title,
            Amount = 1,
            CostPerUnit = service.PriceMin,
            FirstCost = service.PriceMin,
            DiscountPercent = discount,
            Cost = cost,
            ManualCost = cost,
            CostToPay = cost,
        };
    }
}
